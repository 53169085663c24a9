import { useState } from 'react';
import { Link } from 'react-router';
import type { Role } from '../api';
import { api } from '../api';
import { DEPLOYERS, SiteActions } from '../fleet/site-actions';
import type { SiteAnswer } from '../fleet/fleet-types';
import type { InstanceView } from '../library/library-types';
import { ApiErrorBox } from '../library/ui/api-error-box';
import { asApiError } from '../library/ui/api-problems';
import type { ApiError } from '../api';
import { useSites } from './use-sites';
import { useInstancesMessages } from './use-instances-messages';

/**
 * Binds an instance to a site (PUT /api/sites/:id/instance), then deploys it or downloads its
 * bundle where the role may; otherwise says who deploys and links the site page.
 */
export function SiteBinding({ instance, role, preferredSite, onBound }: {
  instance: InstanceView;
  role: Role;
  /** The site chosen earlier (the wizard's), preselected. */
  preferredSite?: string | undefined;
  onBound?: (site: { id: string; name: string }) => void;
}) {
  const { t } = useInstancesMessages();
  const sites = useSites();
  const list = sites.data?.sites ?? [];
  const matching = list.find((s) => s.runtimeSite === instance.instance.site);
  const [chosen, setChosen] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [bound, setBound] = useState<{ id: string; name: string } | null>(instance.site);
  const selected = chosen || bound?.id || preferredSite || matching?.id || '';
  const site = list.find((s) => s.id === selected);

  async function bind() {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.put<SiteAnswer>(`/api/sites/${encodeURIComponent(selected)}/instance`, { instanceId: instance.id });
      const b = { id: answer.site.id, name: answer.site.name };
      setBound(b);
      onBound?.(b);
      sites.reload();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const mismatch = site && site.runtimeSite && site.runtimeSite !== instance.instance.site;
  const isBound = bound !== null && bound.id === selected;
  return (
    <div className="site-binding">
      <p className="muted">{t('bind.intro')}</p>
      {sites.data && list.length === 0 ? <p className="muted">{t('bind.noSites')}</p> : null}
      <div className="toolbar-row">
        <label>
          {t('bind.site')}{' '}
          <select name="bind-site" value={selected} onChange={(e) => setChosen(e.target.value)}>
            <option value="" />
            {list.map((s) => <option key={s.id} value={s.id}>{s.name} ({s.runtimeSite ?? '?'}){s.instance ? ` · ${s.instance.name}` : ''}</option>)}
          </select>
        </label>
        <button type="button" className={isBound ? '' : 'primary'} disabled={!selected || busy || Boolean(mismatch)} onClick={() => void bind()}>
          {busy ? t('bind.binding') : t('bind.bind')}
        </button>
        {isBound ? <span className="ok-text" role="status">✓ {t('bind.bound', { name: bound.name })}</span> : null}
      </div>
      {mismatch ? <p className="error">{t('bind.siteMismatch', { instance: instance.instance.site, runtime: site.runtimeSite })}</p> : null}
      {error ? <ApiErrorBox error={error} /> : null}
      {isBound && site ? (
        DEPLOYERS.includes(role)
          ? <SiteActions site={{ id: site.id, name: site.name, instance: { id: instance.id, name: instance.name, template: instance.template } }} role={role} />
          : (
            <p className="notice">
              {t('bind.engineerNeeded')} <Link to={`/fleet/sites/${encodeURIComponent(site.id)}`}>{t('bind.openSite')}</Link>
            </p>
          )
      ) : null}
    </div>
  );
}
