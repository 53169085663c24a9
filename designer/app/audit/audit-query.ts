import type { AuditAction, AuditOutcome } from '../../server/audit-log';
import { AUDIT_ACTIONS } from '../../server/audit-log';

export const OUTCOMES: readonly AuditOutcome[] = ['ok', 'refused', 'failed'];
export { AUDIT_ACTIONS };

/** The audit page's filters, as its address keeps them. `from`/`to` are local `datetime-local` values. */
export interface AuditFilters {
  readonly page: number;
  readonly action?: AuditAction;
  readonly user?: number;
  readonly target?: string;
  readonly outcome?: AuditOutcome;
  readonly from?: string;
  readonly to?: string;
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

export function auditFiltersFrom(p: URLSearchParams): AuditFilters {
  const action = p.get('action');
  const outcome = p.get('outcome');
  const user = Number(p.get('user'));
  const from = p.get('from') ?? '';
  const to = p.get('to') ?? '';
  return {
    page: Math.max(1, Math.floor(Number(p.get('page') ?? 1)) || 1),
    ...((AUDIT_ACTIONS as readonly string[]).includes(action ?? '') ? { action: action as AuditAction } : {}),
    ...(Number.isInteger(user) && user > 0 ? { user } : {}),
    ...(p.get('target')?.trim() ? { target: p.get('target')!.trim() } : {}),
    ...((OUTCOMES as readonly string[]).includes(outcome ?? '') ? { outcome: outcome as AuditOutcome } : {}),
    ...(LOCAL_TIME.test(from) ? { from } : {}),
    ...(LOCAL_TIME.test(to) ? { to } : {}),
  };
}

export function auditParamsFrom(f: AuditFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.action) p.set('action', f.action);
  if (f.user) p.set('user', String(f.user));
  if (f.target) p.set('target', f.target);
  if (f.outcome) p.set('outcome', f.outcome);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.page > 1) p.set('page', String(f.page));
  return p;
}

/** The query of GET /api/audit: times as ms since the epoch (the browser's local time zone). */
export function auditQuery(f: AuditFilters, pageSize: number): Record<string, string | number | undefined> {
  return {
    page: f.page, pageSize, action: f.action, user: f.user, target: f.target, outcome: f.outcome,
    from: f.from ? new Date(f.from).getTime() : undefined,
    to: f.to ? new Date(f.to).getTime() : undefined,
  };
}
