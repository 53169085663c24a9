import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { Text } from '../../../runtime/model';
import { nodeTypes } from '../editor/node-types';
import { useLang } from '../i18n/language';
import { addWidget, compact, moveWidget, overlapping, refit, resizeWidget, rowsOf, widgetId } from './dashboard-grid';
import type { Cell } from './dashboard-grid';
import { FieldProblems } from './field-problems';
import { problemsAt } from './problem-paths';
import type { DashboardDraft, DashboardWidget, ScenarioDraft } from './template-doc';
import { TextPairInput } from './text-pair-input';
import { useProblemList, useTemplate, useTemplateApi } from './use-template';
import { WIDGET_KINDS, defaultSize, unplacedWidgetNodes, widgetKind } from './widget-kinds';

const ROW_PX = 44;
const KNOWN = new Set(['id', 'kind', 'node', 'title', 'field', 'x', 'y', 'w', 'h']);

const asText = (title: DashboardWidget['title']): Text | undefined => (typeof title === 'string' ? { zh: title, en: title } : title);
const extraOf = (w: DashboardWidget) => Object.fromEntries(Object.entries(w).filter(([k]) => !KNOWN.has(k)));

interface Drag {
  readonly id: string;
  readonly mode: 'move' | 'resize';
  readonly startX: number;
  readonly startY: number;
  readonly from: Cell;
  readonly to: Cell;
}

function WidgetForm({ widget, dashboard, nodes, onChange, onRemove, problems }: {
  widget: DashboardWidget;
  dashboard: DashboardDraft;
  nodes: readonly { id: string; label: string }[];
  onChange: (w: DashboardWidget[]) => void;
  onRemove: () => void;
  problems: ReturnType<typeof problemsAt>;
}) {
  const { t } = useTranslation('templates');
  const [extra, setExtra] = useState(() => JSON.stringify(extraOf(widget), null, 1));
  const [extraBad, setExtraBad] = useState(false);
  useEffect(() => {
    setExtra(JSON.stringify(extraOf(widget), null, 1));
    setExtraBad(false);
  }, [widget]);
  const patch = (p: Partial<DashboardWidget>) => onChange(dashboard.widgets.map((w) => (w.id === widget.id ? { ...w, ...p } as DashboardWidget : w)));
  const cell = (key: 'x' | 'y' | 'w' | 'h', value: number) => {
    if (!Number.isFinite(value)) return;
    const next = { x: widget.x, y: widget.y, w: widget.w, h: widget.h, [key]: value };
    onChange(key === 'x' || key === 'y'
      ? moveWidget(dashboard.widgets, widget.id, next.x, next.y, dashboard.columns)
      : resizeWidget(dashboard.widgets, widget.id, next.w, next.h, dashboard.columns));
  };
  const kinds = widget.kind && !widgetKind(widget.kind) ? [widget.kind, ...WIDGET_KINDS] : [...WIDGET_KINDS];
  return (
    <div className="widget-form form" data-widget={widget.id}>
      <div className="field">
        <label htmlFor="wf-kind">{t('dashboard.kind')}</label>
        <select id="wf-kind" value={widget.kind ?? ''} onChange={(e) => patch({ kind: e.target.value || undefined })}>
          <option value="">{t('common.none')}</option>
          {kinds.map((k) => <option key={k} value={k}>{widgetKind(k) ? t(`dashboard.kinds.${widgetKind(k)}`) : k}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="wf-node">{t('dashboard.node')}</label>
        <select id="wf-node" value={widget.node ?? ''} onChange={(e) => patch({ node: e.target.value || undefined })}>
          <option value="">{t('common.none')}</option>
          {widget.node && !nodes.some((n) => n.id === widget.node) ? <option value={widget.node}>{widget.node} ⚠</option> : null}
          {nodes.map((n) => <option key={n.id} value={n.id}>{n.label}</option>)}
        </select>
      </div>
      <TextPairInput id="wf-title" label={t('dashboard.widgetTitle')} value={asText(widget.title)} onChange={(v) => patch({ title: v })} />
      <div className="field">
        <label htmlFor="wf-field">{t('dashboard.field')}</label>
        <input id="wf-field" value={typeof widget.field === 'string' ? widget.field : ''} onChange={(e) => patch({ field: e.target.value || undefined })} />
      </div>
      <div className="cells">
        {(['x', 'y', 'w', 'h'] as const).map((k) => (
          <label key={k} className="cell-input">
            {t(`dashboard.${k}`)}
            <input type="number" min={k === 'w' || k === 'h' ? 1 : 0} max={k === 'x' || k === 'w' ? dashboard.columns : undefined} value={widget[k]} onChange={(e) => cell(k, Number(e.target.value))} />
          </label>
        ))}
      </div>
      <div className="field">
        <label htmlFor="wf-extra">{t('dashboard.extra')}</label>
        <textarea id="wf-extra" className="json" rows={3} value={extra} aria-invalid={extraBad} onChange={(e) => {
          setExtra(e.target.value);
          try {
            const parsed = JSON.parse(e.target.value || '{}') as unknown;
            if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
            setExtraBad(false);
            const base = Object.fromEntries(Object.entries(widget).filter(([k]) => KNOWN.has(k)));
            onChange(dashboard.widgets.map((w) => (w.id === widget.id ? { ...(parsed as object), ...base } as DashboardWidget : w)));
          } catch {
            setExtraBad(true);
          }
        }} />
        {extraBad ? <p className="field-error">{t('dashboard.extraInvalid')}</p> : null}
      </div>
      <FieldProblems problems={problems} />
      <button type="button" className="danger" onClick={onRemove}>{t('dashboard.remove')}</button>
    </div>
  );
}

/** A scenario's dashboard page laid out on its grid: place, move, resize and configure the widgets. */
export function DashboardLayout({ scenario, sentIndex, readOnly }: { scenario: ScenarioDraft; sentIndex: number; readOnly: boolean }) {
  const { t } = useTranslation('templates');
  const { text } = useLang();
  const store = useTemplateApi();
  const flow = useStore(store.editor, (s) => s.flows[scenario.flowId]);
  const focus = useTemplate((s) => s.focus);
  const dashboard = scenario.dashboard;
  const [selected, setSelected] = useState<string | undefined>(dashboard.widgets[0]?.id);
  const [drag, setDrag] = useState<Drag | undefined>();
  const [newKind, setNewKind] = useState<string>('stat');
  const [newNode, setNewNode] = useState<string>('');
  const grid = useRef<HTMLDivElement>(null);
  const problems = problemsAt(useProblemList().filter((l) => l.place.part === 'dashboard'), 'scenario', sentIndex);

  const set = (d: DashboardDraft) => store.getState().setDashboard(scenario.flowId, d);
  const setWidgets = (widgets: DashboardWidget[]) => set({ ...dashboard, widgets });
  const nodes = useMemo(() => (flow?.nodes ?? []).map((n) => {
    const def = nodeTypes.get(n.type);
    const name = typeof n.name === 'string' ? n.name : n.name ? text(n.name) : def ? text(def.title) : n.type;
    return { id: n.id, label: `${n.id} · ${name}` };
  }), [flow?.nodes, text]);
  const nodeIds = useMemo(() => new Set(nodes.map((n) => n.id)), [nodes]);
  const unplaced = useMemo(() => unplacedWidgetNodes(flow, dashboard, nodeTypes), [flow, dashboard]);
  const overlaps = overlapping(dashboard.widgets);

  // A problem at widgets[i] selects that widget.
  useEffect(() => {
    const m = focus?.part === 'dashboard' ? /^widgets\[(\d+)\]/.exec(focus.field ?? '') : null;
    if (m) setSelected(dashboard.widgets[Number(m[1])]?.id);
    // Only when a new focus request comes.
  }, [focus?.seq]);

  const shown = (w: DashboardWidget): Cell => (drag && drag.id === w.id ? drag.to : w);
  const rows = Math.max(rowsOf(dashboard.widgets.map(shown)) + 2, 8);

  const onPointerDown = (e: ReactPointerEvent, w: DashboardWidget, mode: Drag['mode']) => {
    setSelected(w.id);
    if (readOnly || e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
    setDrag({ id: w.id, mode, startX: e.clientX, startY: e.clientY, from: w, to: w });
  };
  const onPointerMove = (e: ReactPointerEvent) => {
    if (!drag || !grid.current) return;
    const colPx = grid.current.clientWidth / dashboard.columns;
    const dx = Math.round((e.clientX - drag.startX) / colPx);
    const dy = Math.round((e.clientY - drag.startY) / ROW_PX);
    const f = drag.from;
    const to = drag.mode === 'move'
      ? { ...f, x: Math.max(0, Math.min(dashboard.columns - f.w, f.x + dx)), y: Math.max(0, f.y + dy) }
      : { ...f, w: Math.max(1, Math.min(dashboard.columns - f.x, f.w + dx)), h: Math.max(1, f.h + dy) };
    if (to.x !== drag.to.x || to.y !== drag.to.y || to.w !== drag.to.w || to.h !== drag.to.h) setDrag({ ...drag, to });
  };
  const onPointerUp = () => {
    if (!drag) return;
    const { id, mode, to, from } = drag;
    setDrag(undefined);
    if (to.x === from.x && to.y === from.y && to.w === from.w && to.h === from.h) return;
    setWidgets(mode === 'move' ? moveWidget(dashboard.widgets, id, to.x, to.y, dashboard.columns) : resizeWidget(dashboard.widgets, id, to.w, to.h, dashboard.columns));
  };
  const onKeyDown = (e: KeyboardEvent, w: DashboardWidget) => {
    if (readOnly) return;
    const step: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const d = step[e.key];
    if (d) {
      e.preventDefault();
      setWidgets(e.shiftKey
        ? resizeWidget(dashboard.widgets, w.id, w.w + d[0], w.h + d[1], dashboard.columns)
        : moveWidget(dashboard.widgets, w.id, Math.max(0, w.x + d[0]), Math.max(0, w.y + d[1]), dashboard.columns));
    } else if (e.key === 'Delete') {
      e.preventDefault();
      setWidgets(dashboard.widgets.filter((x) => x.id !== w.id));
    }
  };
  const add = (widget: { id: string; kind?: string; node?: string }, kind?: string) => {
    const size = defaultSize(kind, dashboard.columns);
    const next = addWidget(dashboard.widgets, { ...widget, ...size }, dashboard.columns);
    setWidgets(next);
    setSelected(widget.id);
  };
  const current = dashboard.widgets.find((w) => w.id === selected);

  return (
    <section className="tpl-section dashboard-layout" aria-label={t('dashboard.title')}>
      <div className="dash-main">
        <p className="muted small">{t('dashboard.intro')}</p>
        {overlaps.length > 0 ? <p className="field-error">{t('dashboard.overlap')}</p> : null}
        <FieldProblems problems={problems.filter((p) => !/widgets\[\d+\]/.test(p.at))} />
        {dashboard.widgets.length === 0 ? <p className="muted">{t('dashboard.empty')}</p> : null}
        <div
          ref={grid}
          className={`dash-grid${drag ? ' dragging' : ''}`}
          style={{ gridTemplateColumns: `repeat(${dashboard.columns}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${rows}, ${ROW_PX}px)`, backgroundSize: `calc(100% / ${dashboard.columns}) ${ROW_PX}px` }}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => setDrag(undefined)}
          data-columns={dashboard.columns}
        >
          {dashboard.widgets.map((w, i) => {
            const c = shown(w);
            const kind = widgetKind(w.kind);
            const def = w.node ? nodeTypes.get(flow?.nodes.find((n) => n.id === w.node)?.type ?? '') : undefined;
            const missing = w.node !== undefined && !nodeIds.has(w.node);
            const bad = problems.some((p) => p.at.includes(`dashboard.widgets[${i}]`));
            return (
              <div
                key={w.id}
                className={`dash-widget${w.id === selected ? ' selected' : ''}${missing || bad ? ' invalid' : ''}`}
                style={{ gridColumn: `${c.x + 1} / span ${c.w}`, gridRow: `${c.y + 1} / span ${c.h}` }}
                tabIndex={0}
                role="button"
                aria-pressed={w.id === selected}
                data-widget={w.id}
                data-cell={`${c.x},${c.y},${c.w},${c.h}`}
                onPointerDown={(e) => onPointerDown(e, w, 'move')}
                onKeyDown={(e) => onKeyDown(e, w)}
                onFocus={() => setSelected(w.id)}
              >
                <span className="dash-kind">{kind ? t(`dashboard.kinds.${kind}`) : def ? text(def.title) : w.kind ?? '?'}</span>
                <strong className="dash-title">{text(asText(w.title)) || w.node || w.id}</strong>
                {w.node ? <span className="dash-node">{missing ? '⚠ ' : ''}{w.node}{typeof w.field === 'string' ? ` · ${w.field}` : ''}</span> : null}
                {missing ? <span className="field-error small">{t('dashboard.unknownNode', { node: w.node })}</span> : null}
                {readOnly ? null : <span className="dash-resize" aria-hidden onPointerDown={(e) => onPointerDown(e, w, 'resize')} />}
              </div>
            );
          })}
        </div>
      </div>
      <aside className="dash-side">
        <fieldset disabled={readOnly} className="form">
          <TextPairInput id="dash-title" label={t('dashboard.pageTitle')} value={dashboard.title} onChange={(v) => set({ ...dashboard, title: v })} />
          <div className="field row">
            <label htmlFor="dash-columns">{t('dashboard.columns')}</label>
            <input id="dash-columns" type="number" min={1} max={48} value={dashboard.columns} onChange={(e) => {
              const columns = Math.max(1, Math.min(48, Math.round(Number(e.target.value)) || 1));
              set({ ...dashboard, columns, widgets: refit(dashboard.widgets, columns) });
            }} />
            <button type="button" onClick={() => setWidgets(compact(dashboard.widgets))}>{t('dashboard.compact')}</button>
          </div>
          <h3>{t('dashboard.addWidget')}</h3>
          <div className="add-widget">
            <select aria-label={t('dashboard.kind')} value={newKind} onChange={(e) => setNewKind(e.target.value)}>
              {WIDGET_KINDS.map((k) => <option key={k} value={k}>{t(`dashboard.kinds.${k}`)}</option>)}
            </select>
            <select aria-label={t('dashboard.node')} value={newNode} onChange={(e) => setNewNode(e.target.value)}>
              <option value="">{t('common.none')}</option>
              {nodes.map((n) => <option key={n.id} value={n.id}>{n.label}</option>)}
            </select>
            <button type="button" className="primary" onClick={() => add({ id: widgetId(dashboard.widgets, newNode || newKind), kind: newKind, ...(newNode ? { node: newNode } : {}) }, newKind)}>+</button>
          </div>
          {unplaced.length > 0 ? (
            <>
              <h3>{t('dashboard.widgetNodes')}</h3>
              <ul className="unplaced">
                {unplaced.map((n) => (
                  <li key={n.id}>
                    <button type="button" className="link" onClick={() => add({ id: widgetId(dashboard.widgets, n.id), node: n.id }, n.type)}>+ {n.id}</button>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </fieldset>
        <hr />
        {current ? (
          <fieldset disabled={readOnly}>
            <WidgetForm
              widget={current}
              dashboard={dashboard}
              nodes={nodes}
              onChange={setWidgets}
              onRemove={() => {
                setWidgets(dashboard.widgets.filter((w) => w.id !== current.id));
                setSelected(undefined);
              }}
              problems={problems.filter((p) => p.at.includes(`dashboard.widgets[${dashboard.widgets.indexOf(current)}]`))}
            />
          </fieldset>
        ) : <p className="muted small">{t('dashboard.select')}</p>}
      </aside>
    </section>
  );
}
