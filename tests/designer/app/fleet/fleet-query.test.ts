import { describe, expect, it } from 'vitest';
import { backlogOf, filtersFrom, fleetQuery, paramsFrom, withFilter } from '../../../../designer/app/fleet/fleet-query';

describe('fleet filters', () => {
  it('reads known filters from the address and drops the rest', () => {
    const f = filtersFrom(new URLSearchParams('health=down&drift=bogus&q=%20车间%20&page=3&enterprise='));
    expect(f).toEqual({ page: 3, health: 'down', q: '车间' });
    expect(filtersFrom(new URLSearchParams('page=-2')).page).toBe(1);
  });

  it('writes them back, a changed filter starting again on page 1', () => {
    const f = withFilter({ page: 4, health: 'down', q: 'a' }, { drift: 'site-changed', q: undefined });
    expect(f).toEqual({ page: 1, health: 'down', drift: 'site-changed' });
    expect(paramsFrom(f).toString()).toBe('health=down&drift=site-changed');
    expect(paramsFrom({ ...f, page: 2 }).get('page')).toBe('2');
    expect(fleetQuery(f, 50)).toMatchObject({ page: 1, pageSize: 50, health: 'down', drift: 'site-changed' });
  });

  it('adds up the uplink backlog a heartbeat reported', () => {
    expect(backlogOf(null)).toBeUndefined();
    expect(backlogOf({ uplink: [] })).toBeUndefined();
    expect(backlogOf({ uplink: [{ backlog: 3 }, { backlog: 4 }] })).toBe(7);
  });
});
