import { useState } from 'react';
import type { ApiError } from '../api';
import { api } from '../api';
import type { InstancesPage } from '../library/library-types';
import { ApiErrorBox } from '../library/ui/api-error-box';
import { asApiError } from '../library/ui/api-problems';
import { useApi } from '../library/ui/use-api';
import type { SiteAnswer, SiteView } from './fleet-types';
import { useFleetMessages } from './use-fleet-messages';

/** Binds one of the user's instances to the site, or unbinds it (PUT /api/sites/:id/instance). */
export function InstanceBinder({ site, onSaved }: { site: SiteView; onSaved: (s: SiteView) => void }) {
  const { t } = useFleetMessages();
  const list = useApi((signal) => api.get<InstancesPage>('/api/instances', { signal, query: { sample: 0, pageSize: 200 } }), []);
  const [chosen, setChosen] = useState(site.instance?.id ?? '');
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  async function bind(instanceId: string | null) {
    setBusy(true);
    setError(undefined);
    try {
      onSaved((await api.put<SiteAnswer>(`/api/sites/${encodeURIComponent(site.id)}/instance`, { instanceId })).site);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="instance-binder">
      <div className="toolbar-row">
        <select name="instance" value={chosen} aria-label={t('bindInstance.title')} onChange={(e) => setChosen(e.target.value)}>
          <option value="">{t('bindInstance.choose')}</option>
          {(list.data?.instances ?? []).map((i) => <option key={i.id} value={i.id}>{i.name} · {i.template}</option>)}
        </select>
        <button type="button" disabled={busy || chosen === '' || chosen === site.instance?.id} onClick={() => void bind(chosen)}>{t('bindInstance.bind')}</button>
        {site.instance ? <button type="button" disabled={busy} onClick={() => { setChosen(''); void bind(null); }}>{t('bindInstance.unbind')}</button> : null}
      </div>
      {error ? <ApiErrorBox error={error} /> : null}
    </div>
  );
}
