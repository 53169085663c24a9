import { useState } from 'react';
import { api } from '../api';
import { useLang } from '../i18n/language';
import { ApiErrorBox } from '../library/ui/api-error-box';
import { Pager } from '../library/ui/pager';
import { TimeText } from '../library/ui/time-text';
import { useApi } from '../library/ui/use-api';
import type { DeploymentsPage } from './fleet-types';
import { useFleetMessages } from './use-fleet-messages';

const PAGE_SIZE = 20;
const STATUS_CLASS: Record<string, string> = { deployed: 'ok', exported: 'info', 'rolled-back': 'warn', failed: 'bad', sending: '' };

/** A site's deploys, exports and rollbacks as the studio recorded them (GET /api/sites/:id/deployments). */
export function DeploymentsTable({ siteId, round }: { siteId: string; round: number }) {
  const { t, i18n } = useFleetMessages();
  const { text } = useLang();
  const [page, setPage] = useState(1);
  const list = useApi((signal) => api.get<DeploymentsPage>(`/api/sites/${encodeURIComponent(siteId)}/deployments`, { signal, query: { page, pageSize: PAGE_SIZE } }), [siteId, page, round]);
  const known = (key: string) => i18n.exists(key, { ns: 'fleet' });
  if (list.error) return <ApiErrorBox error={list.error} onRetry={list.reload} />;
  if (!list.data) return null;
  if (list.data.total === 0) return <p className="muted">{t('deployments.empty')}</p>;
  return (
    <>
      <div className="table-wrap">
        <table className="data-table deployments-table">
          <thead><tr><th>{t('deployments.at')}</th><th>{t('deployments.kind')}</th><th>{t('deployments.status')}</th><th className="num">{t('deployments.sequence')}</th><th>{t('deployments.template')}</th><th>{t('deployments.by')}</th><th>{t('deployments.error')}</th></tr></thead>
          <tbody>
            {list.data.deployments.map((d) => (
              <tr key={d.id} data-deployment={d.id} data-status={d.status}>
                <td><TimeText iso={d.at} /></td>
                <td>{known(`deployments.kinds.${d.kind}`) ? t(`deployments.kinds.${d.kind}`) : d.kind}</td>
                <td><span className={`badge ${STATUS_CLASS[d.status] ?? ''}`}>{known(`deployments.statuses.${d.status}`) ? t(`deployments.statuses.${d.status}`) : d.status}</span></td>
                <td className="num">{d.sequence ?? ''}</td>
                <td className="mono">{d.template ?? ''}</td>
                <td>{d.by ?? ''}</td>
                <td>{d.error ? <span className="error">{d.error.text ? text(d.error.text) : d.error.code}</span> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data.total > PAGE_SIZE ? <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} /> : null}
    </>
  );
}
