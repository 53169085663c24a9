import { useState } from 'react';
import type { FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { ApiError } from '../api';
import { api } from '../api';
import { ApiErrorBox } from '../library/ui/api-error-box';
import { asApiError } from '../library/ui/api-problems';
import { ConfirmDialog } from '../library/ui/confirm-dialog';
import { Pager } from '../library/ui/pager';
import { useApi } from '../library/ui/use-api';
import { useUi } from '../library/ui/use-ui';
import { useUser } from '../shell/session';
import { BatchResults } from './batch-results';
import { fleetQuery, filtersFrom, paramsFrom, withFilter } from './fleet-query';
import type { FleetFilters } from './fleet-query';
import { FleetTable } from './fleet-table';
import type { BatchAnswer, FleetPage as Page } from './fleet-types';
import { DRIFT, HEALTH } from './fleet-types';
import { PairingDialog } from './pairing-dialog';
import { DEPLOYERS } from './site-actions';
import { useFleetMessages } from './use-fleet-messages';
import '../library/ui/ui.css';
import './fleet.css';

const PAGE_SIZE = 50;

/** The fleet: every site with health, deployed version, drift, last deploy and heartbeat; filters, paging, batch deploy, pairing. */
export default function FleetPage() {
  const { t } = useFleetMessages();
  const ui = useUi();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const go = (f: FleetFilters) => setParams(paramsFrom(f));
  const fleet = useApi((signal) => api.get<Page>('/api/fleet', { signal, query: fleetQuery(filters, PAGE_SIZE) }), [params.toString()]);
  const [q, setQ] = useState(filters.q ?? '');
  const [enterprise, setEnterprise] = useState(filters.enterprise ?? '');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [batch, setBatch] = useState<BatchAnswer | undefined>();
  const [batchError, setBatchError] = useState<ApiError | undefined>();
  const [pairing, setPairing] = useState(false);
  const deployer = DEPLOYERS.includes(user.role);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    go(withFilter(filters, { q: q.trim() || undefined, enterprise: enterprise.trim() || undefined }));
  };
  const select = (ids: readonly string[], on: boolean) => setSelected((s) => {
    const next = new Set(s);
    for (const id of ids) if (on) next.add(id); else next.delete(id);
    return next;
  });

  async function deploySelected() {
    setConfirm(false);
    setBusy(true);
    setBatch(undefined);
    setBatchError(undefined);
    try {
      setBatch(await api.post<BatchAnswer>('/api/deployments/batch', { sites: [...selected] }));
      setSelected(new Set());
    } catch (err) {
      setBatchError(asApiError(err));
    } finally {
      setBusy(false);
      fleet.reload();
    }
  }

  const summary = fleet.data?.summary;
  return (
    <section className="page fleet-page">
      <div className="fleet-head">
        <div>
          <h1>{t('title')}</h1>
          <p className="muted">{t('intro')}</p>
        </div>
        {deployer ? <button type="button" onClick={() => setPairing(true)} data-action="pairing">{t('pairing.button')}</button> : null}
      </div>
      {summary ? (
        <div className="fleet-summary">
          <div className="chips" role="group" aria-label={t('summary.health')}>
            <span className="muted">{t('summary.health')}</span>
            {HEALTH.filter((h) => summary.health[h]).map((h) => (
              <button key={h} type="button" className="chip" aria-pressed={filters.health === h} onClick={() => go(withFilter(filters, { health: filters.health === h ? undefined : h }))}>
                {t(`health.${h}`)} {summary.health[h]}
              </button>
            ))}
          </div>
          <div className="chips" role="group" aria-label={t('summary.drift')}>
            <span className="muted">{t('summary.drift')}</span>
            {DRIFT.filter((d) => summary.drift[d]).map((d) => (
              <button key={d} type="button" className="chip" aria-pressed={filters.drift === d} onClick={() => go(withFilter(filters, { drift: filters.drift === d ? undefined : d }))}>
                {t(`drift.${d}`)} {summary.drift[d]}
              </button>
            ))}
          </div>
        </div>
      ) : null}
      <form className="toolbar-row fleet-filters" onSubmit={submit} aria-label={t('filters.label')}>
        <label>{t('filters.health')}
          <select name="health" value={filters.health ?? ''} onChange={(e) => go(withFilter(filters, { health: (e.target.value || undefined) as FleetFilters['health'] }))}>
            <option value="">{t('filters.all')}</option>
            {HEALTH.map((h) => <option key={h} value={h}>{t(`health.${h}`)}</option>)}
          </select>
        </label>
        <label>{t('filters.drift')}
          <select name="drift" value={filters.drift ?? ''} onChange={(e) => go(withFilter(filters, { drift: (e.target.value || undefined) as FleetFilters['drift'] }))}>
            <option value="">{t('filters.all')}</option>
            {DRIFT.map((d) => <option key={d} value={d}>{t(`drift.${d}`)}</option>)}
          </select>
        </label>
        {user.role !== 'enterprise' ? <label>{t('filters.enterprise')}<input name="enterprise" value={enterprise} onChange={(e) => setEnterprise(e.target.value)} /></label> : null}
        <input type="search" name="q" aria-label={t('filters.q')} placeholder={t('filters.q')} value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="submit">{t('filters.apply')}</button>
        {params.toString() ? <button type="button" className="link" onClick={() => { setQ(''); setEnterprise(''); setParams(new URLSearchParams()); }}>{t('filters.clear')}</button> : null}
        <span className="spacer" />
        {deployer ? (
          <button type="button" className="primary" data-action="batch-deploy" disabled={selected.size === 0 || busy} onClick={() => setConfirm(true)}>
            {busy ? t('batch.running') : t('batch.deploy', { count: selected.size })}
          </button>
        ) : null}
      </form>
      {batchError ? <ApiErrorBox error={batchError} /> : null}
      {batch ? <BatchResults answer={batch} /> : null}
      {fleet.error ? <ApiErrorBox error={fleet.error} onRetry={fleet.reload} /> : null}
      {fleet.data ? (
        fleet.data.sites.length === 0 ? <p className="empty">{t('empty')}</p> : (
          <>
            <FleetTable sites={fleet.data.sites} selected={selected} onSelect={select} selectable={deployer} />
            <Pager page={filters.page} pageSize={PAGE_SIZE} total={fleet.data.total} onPage={(page) => go({ ...filters, page })} />
          </>
        )
      ) : fleet.loading ? <p className="muted">{ui.t('loading')}</p> : null}
      {confirm ? (
        <ConfirmDialog title={t('batch.confirm', { count: selected.size })} confirmLabel={t('batch.deploy', { count: selected.size })} onCancel={() => setConfirm(false)} onConfirm={() => void deploySelected()}>
          <p>{t('batch.confirmText')}</p>
        </ConfirmDialog>
      ) : null}
      {pairing ? <PairingDialog onClose={() => setPairing(false)} /> : null}
    </section>
  );
}
