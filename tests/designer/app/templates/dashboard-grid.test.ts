import { describe, expect, it } from 'vitest';
import { addWidget, cellAt, clampCell, compact, freeCell, moveWidget, overlapping, refit, resizeWidget, rowsOf, widgetId } from '../../../../designer/app/templates/dashboard-grid';
import type { DashboardWidget } from '../../../../designer/app/templates/template-doc';

const w = (id: string, x: number, y: number, width: number, h: number, extra: Record<string, unknown> = {}): DashboardWidget => ({ id, x, y, w: width, h, ...extra });
const cells = (list: readonly DashboardWidget[]) => Object.fromEntries(list.map((x) => [x.id, `${x.x},${x.y},${x.w},${x.h}`]));

describe('dashboard grid', () => {
  it('keeps cells whole and inside the columns', () => {
    expect(clampCell({ x: 10, y: -2, w: 6, h: 0 }, 12)).toEqual({ x: 6, y: 0, w: 6, h: 1 });
    expect(clampCell({ x: 0.6, y: 1.4, w: 20, h: 2.5 }, 12)).toEqual({ x: 0, y: 1, w: 12, h: 3 });
  });

  it('moves a widget and pushes the ones it lands on down, never up, keeping the others as they were', () => {
    const page = [w('a', 0, 0, 6, 2), w('b', 6, 0, 6, 2), w('c', 0, 2, 12, 3, { kind: 'table' })];
    const moved = moveWidget(page, 'b', 0, 1, 12);
    expect(cells(moved)).toEqual({ a: '0,3,6,2', b: '0,1,6,2', c: '0,5,12,3' });
    expect(overlapping(moved)).toEqual([]);
    // Extra fields stay; a widget not in the way is the same object.
    expect(moved.find((x) => x.id === 'c')!.kind).toBe('table');
    const aside = moveWidget(page, 'b', 6, 0, 12);
    expect(aside[2]).toBe(page[2]);
  });

  it('resizes within the grid and pushes what the bigger widget covers', () => {
    const page = [w('a', 0, 0, 6, 2), w('b', 6, 0, 6, 2), w('c', 0, 2, 6, 2)];
    const wider = resizeWidget(page, 'a', 20, 3, 12);
    expect(cells(wider)).toEqual({ a: '0,0,12,3', b: '6,3,6,2', c: '0,3,6,2' });
    expect(overlapping(wider)).toEqual([]);
  });

  it('adds at the first free place and closes gaps on request', () => {
    const page = [w('a', 0, 0, 8, 2), w('b', 0, 4, 12, 2)];
    expect(freeCell(page, 4, 2, 12)).toEqual({ x: 8, y: 0, w: 4, h: 2 });
    expect(freeCell(page, 6, 2, 12)).toEqual({ x: 0, y: 2, w: 6, h: 2 });
    const added = addWidget(page, { id: 'c', kind: 'stat', w: 4, h: 2 }, 12);
    expect(cells(added).c).toBe('8,0,4,2');
    expect(cells(compact(page))).toEqual({ a: '0,0,8,2', b: '0,2,12,2' });
    expect(rowsOf(page)).toBe(6);
  });

  it('fits a page into fewer columns without overlaps', () => {
    const page = [w('a', 0, 0, 6, 2), w('b', 6, 0, 6, 2)];
    const narrow = refit(page, 6);
    expect(overlapping(narrow)).toEqual([]);
    expect(cells(narrow)).toEqual({ a: '0,0,6,2', b: '0,2,6,2' });
  });

  it('names new widgets uniquely and finds the cell under the pointer', () => {
    expect(widgetId([{ id: 'read' }, { id: 'read-2' }], 'read')).toBe('read-3');
    expect(widgetId([], 'a b')).toBe('a-b');
    expect(cellAt(250, 90, 100, 44)).toEqual({ x: 2, y: 2 });
  });
});
