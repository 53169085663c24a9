import { Link, useSearchParams } from 'react-router';
import { api } from '../api';
import type { InstancesPage as Page } from '../library/library-types';
import { ApiErrorBox } from '../library/ui/api-error-box';
import { Pager } from '../library/ui/pager';
import { TimeText } from '../library/ui/time-text';
import { useApi } from '../library/ui/use-api';
import { useUi } from '../library/ui/use-ui';
import { useInstancesMessages } from './use-instances-messages';
import '../library/ui/ui.css';
import './instances.css';

const PAGE_SIZE = 50;
const FILTERS = ['own', 'samples', 'all'] as const;

/** The instances the user may see: the enterprise's copies, or the sample firms. */
export default function InstancesPage() {
  const { t } = useInstancesMessages();
  const ui = useUi();
  const [params, setParams] = useSearchParams();
  const filter = (FILTERS as readonly string[]).includes(params.get('show') ?? '') ? params.get('show')! : 'own';
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const list = useApi((signal) => api.get<Page>('/api/instances', {
    signal, query: { page, pageSize: PAGE_SIZE, sample: filter === 'own' ? 0 : filter === 'samples' ? 1 : undefined },
  }), [filter, page]);
  return (
    <section className="page instances-page">
      <h1>{t('list.title')}</h1>
      <p className="muted">{t('list.intro')}</p>
      <div className="chips" role="group">
        {FILTERS.map((f) => <button key={f} type="button" className="chip" aria-pressed={filter === f} onClick={() => setParams({ show: f })}>{t(`list.filter.${f}`)}</button>)}
      </div>
      {list.error ? <ApiErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        list.data.instances.length === 0 ? <p className="empty">{t('list.empty')} <Link to="/library">{t('list.library')}</Link></p> : (
          <>
            <div className="table-wrap" style={{ marginTop: 10 }}>
              <table className="data-table">
                <thead><tr><th>{t('list.name')}</th><th>{t('list.enterprise')}</th><th>{t('list.template')}</th><th>{t('list.site')}</th><th>{t('list.updated')}</th></tr></thead>
                <tbody>
                  {list.data.instances.map((i) => (
                    <tr key={i.id} data-instance={i.id}>
                      <td><Link to={`/instances/${encodeURIComponent(i.id)}`}>{i.name}</Link> {i.sample ? <span className="badge x">{t('list.sample')}</span> : null}</td>
                      <td>{i.enterprise ?? '—'}</td>
                      <td className="mono">{i.template}</td>
                      <td>{i.site ? <Link to={`/fleet/sites/${encodeURIComponent(i.site.id)}`}>{i.site.name}</Link> : '—'}</td>
                      <td><TimeText iso={i.updatedAt} relative /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={(p) => setParams({ show: filter, page: String(p) })} />
          </>
        )
      ) : list.loading ? <p className="muted">{ui.t('loading')}</p> : null}
    </section>
  );
}
