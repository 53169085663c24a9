import { Link } from 'react-router';
import { TimeText } from '../library/ui/time-text';
import { backlogOf } from './fleet-query';
import type { FleetEntry } from './fleet-types';
import { DriftBadge, HealthBadge } from './status-badges';
import { useFleetMessages } from './use-fleet-messages';

/** The fleet as a table: one site a row, selectable for a batch deploy. */
export function FleetTable({ sites, selected, onSelect, selectable }: {
  sites: readonly FleetEntry[];
  selected: ReadonlySet<string>;
  onSelect: (ids: readonly string[], on: boolean) => void;
  selectable: boolean;
}) {
  const { t, i18n } = useFleetMessages();
  const status = (s: string | null) => (s && i18n.exists(`deployments.statuses.${s}`, { ns: 'fleet' }) ? t(`deployments.statuses.${s}`) : s ?? '');
  const allOn = sites.length > 0 && sites.every((s) => selected.has(s.id));
  return (
    <div className="table-wrap fleet-table-wrap">
      <table className="data-table fleet-table">
        <thead>
          <tr>
            {selectable ? <th><input type="checkbox" aria-label={t('selectAll')} checked={allOn} onChange={(e) => onSelect(sites.map((s) => s.id), e.target.checked)} /></th> : null}
            <th>{t('col.name')}</th><th>{t('col.enterprise')}</th><th>{t('col.instance')}</th><th>{t('col.deployed')}</th>
            <th>{t('col.drift')}</th><th>{t('col.health')}</th><th>{t('col.lastDeploy')}</th><th>{t('col.heartbeat')}</th>
          </tr>
        </thead>
        <tbody>
          {sites.map((s) => {
            const backlog = backlogOf(s.heartbeat);
            return (
              <tr key={s.id} data-site={s.id}>
                {selectable ? <td><input type="checkbox" aria-label={t('selectSite', { name: s.name })} checked={selected.has(s.id)} onChange={(e) => onSelect([s.id], e.target.checked)} /></td> : null}
                <td><Link to={`/fleet/sites/${encodeURIComponent(s.id)}`}>{s.name}</Link><div className="mono muted">{s.runtimeSite ?? s.id}</div></td>
                <td>{s.enterprise ?? '—'}</td>
                <td>{s.instance ? <Link to={`/instances/${encodeURIComponent(s.instance.id)}`}>{s.instance.name}</Link> : '—'}</td>
                <td>{s.deployed ? <><span className="mono">{s.deployed.template ?? '?'}</span><div className="muted">{t('seq', { sequence: s.deployed.sequence })}</div></> : '—'}</td>
                <td><DriftBadge drift={s.drift} /></td>
                <td><HealthBadge health={s.health.state} /><div className="muted small"><TimeText iso={s.health.checkedAt} relative /></div></td>
                <td>{s.lastDeploy ? <><span className={`badge ${s.lastDeploy.status === 'deployed' ? 'ok' : s.lastDeploy.status === 'failed' ? 'bad' : ''}`}>{status(s.lastDeploy.status)}</span><div className="muted small"><TimeText iso={s.lastDeploy.at} relative /></div></> : '—'}</td>
                <td>
                  {s.heartbeat ? (
                    <>
                      <TimeText iso={s.heartbeat.at} relative />
                      {backlog !== undefined ? <div className={backlog > 0 ? 'warn-text small' : 'muted small'}>{t('backlog', { count: backlog })}</div> : null}
                      {s.heartbeat.devices ? <div className="muted small">{t('devicesOnline', s.heartbeat.devices)}</div> : null}
                    </>
                  ) : <span className="muted">{t('noHeartbeat')}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
