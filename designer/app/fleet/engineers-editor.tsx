import { useState } from 'react';
import type { ApiError } from '../api';
import { api } from '../api';
import { ApiErrorBox } from '../library/ui/api-error-box';
import { asApiError } from '../library/ui/api-problems';
import { useApi } from '../library/ui/use-api';
import type { SiteAnswer, SiteView, UserEntry } from './fleet-types';
import { useFleetMessages } from './use-fleet-messages';

/** The admin assigns field engineers to a site (GET /api/users, PUT /api/sites/:id/engineers). */
export function EngineersEditor({ site, onSaved }: { site: SiteView; onSaved: (s: SiteView) => void }) {
  const { t } = useFleetMessages();
  const users = useApi((signal) => api.get<{ users: UserEntry[] }>('/api/users', { signal }), []);
  const [chosen, setChosen] = useState<ReadonlySet<number>>(() => new Set(site.engineers.map((e) => e.id)));
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const engineers = (users.data?.users ?? []).filter((u) => u.role === 'field-engineer' && !u.disabled);

  async function save() {
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      const answer = await api.put<SiteAnswer>(`/api/sites/${encodeURIComponent(site.id)}/engineers`, { userIds: [...chosen] });
      setSaved(true);
      onSaved(answer.site);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  if (users.error) return <ApiErrorBox error={users.error} onRetry={users.reload} />;
  if (users.data && engineers.length === 0) return <p className="muted">{t('engineers.none')}</p>;
  return (
    <div className="engineers-editor">
      <ul className="engineer-list">
        {engineers.map((u) => (
          <li key={u.id}>
            <label>
              <input type="checkbox" checked={chosen.has(u.id)} onChange={(e) => setChosen((s) => {
                const next = new Set(s);
                if (e.target.checked) next.add(u.id); else next.delete(u.id);
                return next;
              })} /> {u.displayName ? `${u.displayName} (${u.username})` : u.username}
            </label>
          </li>
        ))}
      </ul>
      <button type="button" disabled={busy} onClick={() => void save()}>{t('engineers.save')}</button>
      {saved ? <span className="ok-text" role="status"> ✓ {t('engineers.saved')}</span> : null}
      {error ? <ApiErrorBox error={error} /> : null}
    </div>
  );
}
