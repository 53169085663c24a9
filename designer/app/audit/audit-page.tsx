import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { AuditRecord } from '../../server/audit-log';
import { api } from '../api';
import { useMessages } from '../i18n/i18n';
import type { UserEntry } from '../fleet/fleet-types';
import { ApiErrorBox } from '../library/ui/api-error-box';
import { Pager } from '../library/ui/pager';
import { TimeText } from '../library/ui/time-text';
import { useApi } from '../library/ui/use-api';
import { useUi } from '../library/ui/use-ui';
import type { AuditFilters } from './audit-query';
import { AUDIT_ACTIONS, OUTCOMES, auditFiltersFrom, auditParamsFrom, auditQuery } from './audit-query';
import { auditMessages } from './messages';
import '../library/ui/ui.css';
import './audit.css';

const PAGE_SIZE = 50;
const OUTCOME_CLASS = { ok: 'ok', refused: 'warn', failed: 'bad' } as const;

/** A target as a link where the designer has a page for it. */
function TargetLink({ target }: { target: string | null }) {
  if (!target) return <span className="muted">—</span>;
  const [kind, id = ''] = target.split(/:(.*)/s);
  const to = kind === 'site' ? `/fleet/sites/${encodeURIComponent(id)}` : kind === 'instance' ? `/instances/${encodeURIComponent(id)}` : kind === 'template' ? `/library/${encodeURIComponent(id.split('@')[0]!)}` : undefined;
  return to ? <Link to={to} className="mono">{target}</Link> : <span className="mono">{target}</span>;
}

/** The audit log (admin): who did what, filtered by action, user, target, outcome and time, paged. */
export default function AuditPage() {
  const { t } = useMessages('audit', auditMessages);
  const ui = useUi();
  const [params, setParams] = useSearchParams();
  const filters = auditFiltersFrom(params);
  const go = (f: AuditFilters) => setParams(auditParamsFrom(f));
  const log = useApi((signal) => api.get<{ entries: AuditRecord[]; total: number }>('/api/audit', { signal, query: auditQuery(filters, PAGE_SIZE) }), [params.toString()]);
  const users = useApi((signal) => api.get<{ users: UserEntry[] }>('/api/users', { signal }), []);
  const [target, setTarget] = useState(filters.target ?? '');
  const [from, setFrom] = useState(filters.from ?? '');
  const [to, setTo] = useState(filters.to ?? '');
  const set = (change: Partial<AuditFilters>) => go({ ...filters, ...change, page: 1 });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ ...filters, page: 1, target: target.trim() || undefined, from: from || undefined, to: to || undefined });
  };

  return (
    <section className="page audit-page">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <form className="toolbar-row audit-filters" onSubmit={submit} aria-label={t('filters.label')}>
        <label>{t('filters.action')}
          <select name="action" value={filters.action ?? ''} onChange={(e) => set({ action: (e.target.value || undefined) as AuditFilters['action'] })}>
            <option value="">{t('filters.all')}</option>
            {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{t(`actions.${a}`)}</option>)}
          </select>
        </label>
        <label>{t('filters.user')}
          <select name="user" value={filters.user ?? ''} onChange={(e) => set({ user: e.target.value ? Number(e.target.value) : undefined })}>
            <option value="">{t('filters.all')}</option>
            {(users.data?.users ?? []).map((u) => <option key={u.id} value={u.id}>{u.username}</option>)}
          </select>
        </label>
        <label>{t('filters.outcome')}
          <select name="outcome" value={filters.outcome ?? ''} onChange={(e) => set({ outcome: (e.target.value || undefined) as AuditFilters['outcome'] })}>
            <option value="">{t('filters.all')}</option>
            {OUTCOMES.map((o) => <option key={o} value={o}>{t(`outcome.${o}`)}</option>)}
          </select>
        </label>
        <label>{t('filters.target')}<input name="target" value={target} placeholder={t('filters.targetPlaceholder')} onChange={(e) => setTarget(e.target.value)} /></label>
        <label>{t('filters.from')}<input type="datetime-local" name="from" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>{t('filters.to')}<input type="datetime-local" name="to" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <button type="submit">{t('filters.apply')}</button>
        {params.toString() ? <button type="button" className="link" onClick={() => { setTarget(''); setFrom(''); setTo(''); setParams(new URLSearchParams()); }}>{t('filters.clear')}</button> : null}
      </form>
      {log.error ? <ApiErrorBox error={log.error} onRetry={log.reload} /> : null}
      {log.data ? (
        <>
          <p className="muted">{t('count', { count: log.data.total })}</p>
          {log.data.entries.length === 0 ? <p className="empty">{t('empty')}</p> : (
            <div className="table-wrap audit-table-wrap">
              <table className="data-table audit-table">
                <thead><tr><th>{t('col.at')}</th><th>{t('col.user')}</th><th>{t('col.action')}</th><th>{t('col.target')}</th><th>{t('col.outcome')}</th><th>{t('col.ip')}</th><th>{t('col.detail')}</th></tr></thead>
                <tbody>
                  {log.data.entries.map((e) => (
                    <tr key={e.id} data-action={e.action} data-outcome={e.outcome}>
                      <td><TimeText iso={e.at} /></td>
                      <td>{e.user.username ?? t('anonymous')}</td>
                      <td>{t(`actions.${e.action}`)}</td>
                      <td><TargetLink target={e.target} /></td>
                      <td><span className={`badge ${OUTCOME_CLASS[e.outcome]}`}>{t(`outcome.${e.outcome}`)}</span></td>
                      <td className="mono">{e.ip ?? ''}</td>
                      <td className="mono audit-detail" title={e.detail === null ? '' : JSON.stringify(e.detail, null, 1)}>{e.detail === null ? '' : JSON.stringify(e.detail)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager page={filters.page} pageSize={PAGE_SIZE} total={log.data.total} onPage={(page) => go({ ...filters, page })} />
        </>
      ) : log.loading ? <p className="muted">{ui.t('loading')}</p> : null}
    </section>
  );
}
