import { api } from '../api';
import { ApiErrorBox } from '../library/ui/api-error-box';
import { TimeText } from '../library/ui/time-text';
import { useApi } from '../library/ui/use-api';
import type { LiveStatus } from './fleet-types';
import { useFleetMessages } from './use-fleet-messages';

/** Counts of a list by a field: `{ running: 12, error: 1 }`. */
export function countBy<T>(list: readonly T[], key: (t: T) => string | undefined): [string, number][] {
  const m = new Map<string, number>();
  for (const x of list) {
    const k = key(x) ?? '?';
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}

/** The site runtime's own status, asked now through the studio (GET /api/sites/:id/status). */
export function LiveStatusPanel({ siteId, round, onStatus }: { siteId: string; round: number; onStatus?: (s: LiveStatus) => void }) {
  const { t } = useFleetMessages();
  const live = useApi(async (signal) => {
    const { status } = await api.get<{ status: LiveStatus }>(`/api/sites/${encodeURIComponent(siteId)}/status`, { signal });
    onStatus?.(status);
    return status;
  }, [siteId, round]);
  const s = live.data;
  return (
    <div className="live-status">
      <div className="toolbar-row">
        <button type="button" data-action="live-status" disabled={live.loading} onClick={live.reload}>{live.loading ? t('live.asking') : t('live.refresh')}</button>
        <span className="muted">{t('live.intro')}</span>
      </div>
      {live.error ? <ApiErrorBox error={live.error} /> : null}
      {s ? (
        <dl className="kv live-kv">
          <dt>{t('site.runtimeSite')}</dt><dd className="mono">{s.site ?? '—'}</dd>
          <dt>{t('live.deployment')}</dt>
          <dd data-live-deployment={s.deployment?.sequence ?? ''}>{s.deployment ? <><span className="mono">{t('seq', { sequence: s.deployment.sequence })} · {s.deployment.id}</span> <span className="badge">{s.deployment.status}</span></> : <span className="muted">{t('live.none')}</span>}</dd>
          <dt>{t('live.lastKnownGood')}</dt><dd className="mono">{s.lastKnownGood ? `${t('seq', { sequence: s.lastKnownGood.sequence })} · ${s.lastKnownGood.id}` : '—'}</dd>
          <dt>{t('live.nodes')}</dt>
          <dd><span className="node-states">{countBy(s.nodes, (n) => n.state).map(([state, n]) => <span key={state} className={`badge ${state === 'running' ? 'ok' : state === 'error' ? 'bad' : ''}`}>{state} {n}</span>)}</span></dd>
          {s.devices && s.devices.length > 0 ? (
            <>
              <dt>{t('live.devices')}</dt>
              <dd><span className="node-states">{countBy(s.devices, (d) => d.health).map(([h, n]) => <span key={h} className={`badge ${h === 'online' ? 'ok' : h === 'offline' ? 'bad' : 'warn'}`}>{h} {n}</span>)}</span></dd>
            </>
          ) : null}
          {s.uplink && s.uplink.length > 0 ? (
            <>
              <dt>{t('live.uplink')}</dt>
              <dd>{s.uplink.map((u) => `${u.id ?? '?'}: ${u.connected ? '✓' : '✕'} · ${t('backlog', { count: u.backlog ?? 0 })}`).join('；')}</dd>
            </>
          ) : null}
          {s.startedAt ? <><dt>{t('live.startedAt')}</dt><dd><TimeText iso={s.startedAt} relative /></dd></> : null}
        </dl>
      ) : null}
    </div>
  );
}
