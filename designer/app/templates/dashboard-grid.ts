/**
 * A scenario's dashboard page as a grid: widgets at whole cells (`x`, `y`, `w`, `h`) over
 * `columns` columns, as the site dashboard draws them. Moving or resizing a widget pushes the
 * widgets it would cover down, so widgets never overlap; nothing else moves on its own.
 */
import type { DashboardWidget } from './template-doc';

export interface Cell {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const int = (n: number, min: number) => Math.max(min, Math.round(Number.isFinite(n) ? n : min));

/** Whole cells inside the grid: at least 1×1, no wider than the grid, not past its right edge. */
export function clampCell(c: Cell, columns: number): Cell {
  const w = Math.min(int(c.w, 1), columns);
  const h = int(c.h, 1);
  const x = Math.min(int(c.x, 0), columns - w);
  return { x, y: int(c.y, 0), w, h };
}

export function overlaps(a: Cell, b: Cell): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** How many rows the grid needs to show every widget. */
export function rowsOf(widgets: readonly Cell[]): number {
  return widgets.reduce((rows, w) => Math.max(rows, w.y + w.h), 0);
}

/**
 * Places `id` at `cell`; then, top to bottom, each other widget that would overlap one already
 * placed goes down just below it. Nothing moves up, and widgets not in the way keep their place
 * (and their identity).
 */
function place(widgets: readonly DashboardWidget[], id: string, cell: Cell, columns: number): DashboardWidget[] {
  const moved = clampCell(cell, columns);
  const placed: Cell[] = [moved];
  const at = new Map<string, Cell>([[id, moved]]);
  const others = widgets.filter((w) => w.id !== id).sort((a, b) => a.y - b.y || a.x - b.x);
  for (const w of others) {
    let c: Cell = { x: w.x, y: w.y, w: w.w, h: w.h };
    for (let hit = placed.find((p) => overlaps(c, p)); hit; hit = placed.find((p) => overlaps(c, p))) c = { ...c, y: hit.y + hit.h };
    placed.push(c);
    at.set(w.id, c);
  }
  return widgets.map((w) => {
    const c = at.get(w.id)!;
    return c.x === w.x && c.y === w.y && c.w === w.w && c.h === w.h ? w : { ...w, ...c };
  });
}

export function moveWidget(widgets: readonly DashboardWidget[], id: string, x: number, y: number, columns: number): DashboardWidget[] {
  const w = widgets.find((v) => v.id === id);
  if (!w) return [...widgets];
  return place(widgets, id, { x, y, w: w.w, h: w.h }, columns);
}

export function resizeWidget(widgets: readonly DashboardWidget[], id: string, width: number, height: number, columns: number): DashboardWidget[] {
  const w = widgets.find((v) => v.id === id);
  if (!w) return [...widgets];
  return place(widgets, id, { x: w.x, y: w.y, w: width, h: height }, columns);
}

/** The first free place (top to bottom, left to right) for a widget of this size. */
export function freeCell(widgets: readonly Cell[], w: number, h: number, columns: number): Cell {
  const size = clampCell({ x: 0, y: 0, w, h }, columns);
  for (let y = 0; ; y++) {
    for (let x = 0; x + size.w <= columns; x++) {
      const c = { ...size, x, y };
      if (!widgets.some((o) => overlaps(c, o))) return c;
    }
  }
}

/** Adds a widget at the first free place of its size. */
export function addWidget(widgets: readonly DashboardWidget[], widget: { readonly id: string; readonly w?: number; readonly h?: number; readonly [extra: string]: unknown }, columns: number): DashboardWidget[] {
  const c = freeCell(widgets, widget.w ?? 4, widget.h ?? 3, columns);
  return [...widgets, { ...widget, ...c } as DashboardWidget];
}

/** Moves every widget up as far as it goes (top to bottom), closing the gaps. */
export function compact(widgets: readonly DashboardWidget[]): DashboardWidget[] {
  const order = [...widgets].sort((a, b) => a.y - b.y || a.x - b.x);
  const placed: DashboardWidget[] = [];
  const next = new Map<string, DashboardWidget>();
  for (const w of order) {
    let y = w.y;
    while (y > 0 && !placed.some((o) => overlaps({ x: w.x, y: y - 1, w: w.w, h: w.h }, o))) y--;
    const moved = y === w.y ? w : { ...w, y };
    placed.push(moved);
    next.set(w.id, moved);
  }
  return widgets.map((w) => next.get(w.id)!);
}

/** Fits every widget into a grid of `columns` (after the column count changed), then resolves overlaps. */
export function refit(widgets: readonly DashboardWidget[], columns: number): DashboardWidget[] {
  const out = widgets.map((w) => {
    const c = clampCell(w, columns);
    return c.x === w.x && c.y === w.y && c.w === w.w && c.h === w.h ? w : { ...w, ...c };
  });
  const first = [...out].sort((a, b) => a.y - b.y || a.x - b.x)[0];
  return first ? place(out, first.id, first, columns) : out;
}

/** Pairs of widgets that overlap (a document written by hand may have them). */
export function overlapping(widgets: readonly DashboardWidget[]): [string, string][] {
  const out: [string, string][] = [];
  widgets.forEach((a, i) => widgets.slice(i + 1).forEach((b) => {
    if (overlaps(a, b)) out.push([a.id, b.id]);
  }));
  return out;
}

/** A widget id not yet used: `base`, `base-2` … */
export function widgetId(widgets: readonly { id: string }[], base: string): string {
  const taken = new Set(widgets.map((w) => w.id));
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '-') || 'widget';
  if (!taken.has(clean)) return clean;
  for (let i = 2; ; i++) if (!taken.has(`${clean}-${i}`)) return `${clean}-${i}`;
}

/**
 * The cell under a point of the grid element: `dx`, `dy` in pixels from its top-left corner,
 * with the column width and row height in pixels.
 */
export function cellAt(dx: number, dy: number, colWidth: number, rowHeight: number): { x: number; y: number } {
  return { x: Math.max(0, Math.floor(dx / colWidth)), y: Math.max(0, Math.floor(dy / rowHeight)) };
}
