import { Link } from 'react-router';
import { useLang } from '../i18n/language';
import type { BatchAnswer } from './fleet-types';
import { useFleetMessages } from './use-fleet-messages';

/** A batch deploy's answer: the totals, then each site's result with the runtime's own error. */
export function BatchResults({ answer }: { answer: BatchAnswer }) {
  const { t } = useFleetMessages();
  const { text } = useLang();
  return (
    <div className="section batch-results" role="status">
      <h2>{t('batch.result', { deployed: answer.deployed, failed: answer.failed })}</h2>
      <div className="table-wrap">
        <table className="data-table">
          <thead><tr><th>{t('col.name')}</th><th>{t('deployments.status')}</th><th>{t('deployments.sequence')}</th><th>{t('deployments.template')}</th><th>{t('deployments.error')}</th></tr></thead>
          <tbody>
            {answer.results.map((r) => (
              <tr key={r.site.id} data-site={r.site.id}>
                <td><Link to={`/fleet/sites/${encodeURIComponent(r.site.id)}`}>{r.site.name}</Link></td>
                <td><span className={`badge ${r.ok ? 'ok' : 'bad'}`}>{r.status}</span></td>
                <td className="num">{r.deployment?.sequence ?? ''}</td>
                <td className="mono">{r.deployment?.template ?? ''}</td>
                <td>
                  {r.error ? (
                    <>
                      <span className="error">{text(r.error.text)}</span> <span className="mono muted">{r.error.code}</span>
                      {r.error.details.length > 0 ? <ul className="field-problems">{r.error.details.map((d, i) => <li key={i}>{d.at}: {text(d.message)}</li>)}</ul> : null}
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
