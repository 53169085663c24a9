import { describe, expect, it } from 'vitest';
import { auditFiltersFrom, auditParamsFrom, auditQuery } from '../../../../designer/app/audit/audit-query';

describe('audit filters', () => {
  it('keeps known actions and outcomes, a user id, a target and local times', () => {
    const f = auditFiltersFrom(new URLSearchParams('action=deploy&outcome=maybe&user=3&target=site:st_1&from=2026-11-02T08:00&to=nonsense&page=2'));
    expect(f).toEqual({ page: 2, action: 'deploy', user: 3, target: 'site:st_1', from: '2026-11-02T08:00' });
    expect(auditParamsFrom(f).toString()).toBe('action=deploy&user=3&target=site%3Ast_1&from=2026-11-02T08%3A00&page=2');
    expect(auditQuery(f, 50)).toMatchObject({ action: 'deploy', user: 3, from: new Date('2026-11-02T08:00').getTime(), to: undefined, page: 2, pageSize: 50 });
  });
});
