import type { Text } from '../../runtime/model';
import { ApiError } from '../../runtime/server/api-error';
import type { Actor } from './roles';

/**
 * Who sees which rows. Enterprises are tenants: another enterprise's instance or site answers
 * 404 as if it did not exist. Admins and contractors see everything. A field engineer works for
 * the contractor: it sees the sites assigned to it (and their instances), and is told plainly
 * when a site is not assigned to it.
 */
export interface Scope {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Instances (alias `i`) an actor may read. Sample firms' instances are there for every enterprise to copy. */
export function instanceScope(actor: Actor): Scope {
  switch (actor.role) {
    case 'admin':
    case 'contractor':
      return { sql: '1 = 1', params: [] };
    case 'enterprise':
      return { sql: '(i.enterprise_id = ? OR i.sample = 1)', params: [actor.enterpriseId] };
    case 'field-engineer':
      return { sql: 'EXISTS (SELECT 1 FROM sites s JOIN site_engineers se ON se.site_id = s.id WHERE s.instance_id = i.id AND se.user_id = ?)', params: [actor.id] };
  }
}

/** Sites (alias `s`) an actor may read. */
export function siteScope(actor: Actor): Scope {
  switch (actor.role) {
    case 'admin':
    case 'contractor':
      return { sql: '1 = 1', params: [] };
    case 'enterprise':
      return { sql: 's.enterprise_id = ?', params: [actor.enterpriseId] };
    case 'field-engineer':
      return { sql: 'EXISTS (SELECT 1 FROM site_engineers se WHERE se.site_id = s.id AND se.user_id = ?)', params: [actor.id] };
  }
}

/** An instance an actor may change: contractors any, an enterprise its own (not a sample firm's). */
export function mayChangeInstance(actor: Actor, row: { enterprise_id: number | null; sample: number }): boolean {
  if (actor.role === 'contractor') return true;
  return actor.role === 'enterprise' && row.sample === 0 && row.enterprise_id === actor.enterpriseId;
}

export const notAssigned = (site: { id: string; name: string }, what: Text) => new ApiError(403, 'site-not-assigned', {
  zh: `站点 “${site.name}”（${site.id}）没有分配给你，不能${what.zh}；请管理员用 PUT /api/sites/${site.id}/engineers 分配`,
  en: `site "${site.name}" (${site.id}) is not assigned to you, so you cannot ${what.en}; an admin assigns it with PUT /api/sites/${site.id}/engineers`,
});
