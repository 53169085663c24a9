import { Component, memo, useEffect, useState } from 'react';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { pick } from '../../nodes/dashboard/widget-format';
import { WIDGETS } from '../../nodes/dashboard/widgets';
import type { Page, PageWidget } from './api';
import type { DashStore } from './store';

export type Layout = 'phone' | 'tablet' | 'wide';

export const layoutFor = (width: number): Layout => (width < 640 ? 'phone' : width < 1100 ? 'tablet' : 'wide');

/** Reading order on narrow screens: top to bottom, then left to right, as the grid places them. */
export const readingOrder = (widgets: readonly PageWidget[]) => [...widgets].sort((a, b) => a.y - b.y || a.x - b.x);

function useViewport() {
  const [size, setSize] = useState(() => ({ width: innerWidth, height: innerHeight }));
  useEffect(() => {
    const onResize = () => setSize({ width: innerWidth, height: innerHeight });
    addEventListener('resize', onResize);
    return () => removeEventListener('resize', onResize);
  }, []);
  return size;
}

class Boundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

const WidgetFrame = memo(function WidgetFrame({ store, widget, style }: { store: DashStore; widget: PageWidget; style: CSSProperties }) {
  const { t } = useTranslation();
  const lang = useStore(store, (s) => s.lang);
  const state = useStore(store, (s) => (widget.key ? s.views[widget.key] : undefined));
  const module = WIDGETS[widget.kind];
  const title = widget.title ? pick(widget.title, lang) : '';
  let body: ReactNode;
  if (widget.kind === 'missing') body = <div className="w-empty">{t('widget-missing')}</div>;
  else if (!module) body = <div className="w-empty">{t('widget-unknown', { kind: widget.kind })}</div>;
  else {
    const Widget = module.component;
    body = (
      <Boundary fallback={<div className="w-empty">{t('widget-crashed')}</div>}>
        <Widget config={widget.config} view={state?.view} title={title} {...(widget.key ? { widgetKey: widget.key } : {})} />
      </Boundary>
    );
  }
  return (
    <section className={`widget k-${widget.kind}`} style={style} data-kind={widget.kind} data-widget={widget.id} aria-label={title || widget.kind}>
      {title ? <h2 className="widget-title">{title}</h2> : null}
      <div className="widget-body">{body}</div>
    </section>
  );
});

export function Dashboard({ store, page, kiosk }: { store: DashStore; page: Page; kiosk: boolean }) {
  const { width, height } = useViewport();
  const layout = layoutFor(width);
  const rows = Math.max(1, ...page.widgets.map((w) => w.y + w.h));
  // Wide screens fit the page to the screen (a TV shows it whole); below that rows keep a readable height.
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const chrome = (kiosk ? 3.2 : 4.2) * rem;
  const gap = 0.6 * rem;
  const fitted = Math.floor((height - chrome - gap * (rows + 1)) / rows);
  const rowHeight = layout === 'wide' ? Math.max(Math.round(3.2 * rem), fitted) : Math.round(4 * rem);

  if (layout !== 'wide') {
    const columns = layout === 'tablet' ? 2 : 1;
    return (
      <div className={`grid is-${layout}`} style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gridAutoRows: `${rowHeight}px` }}>
        {readingOrder(page.widgets).map((w) => {
          const span = columns === 2 && w.w * 2 > page.columns ? 2 : 1;
          const h = Math.min(Math.max(w.h, 3), 6);
          return <WidgetFrame key={`${page.id}/${w.id}`} store={store} widget={w} style={{ gridColumn: `span ${span}`, gridRow: `span ${h}` }} />;
        })}
      </div>
    );
  }
  return (
    <div className="grid is-wide" style={{ gridTemplateColumns: `repeat(${page.columns}, minmax(0, 1fr))`, gridAutoRows: `${rowHeight}px` }}>
      {page.widgets.map((w) => (
        <WidgetFrame key={`${page.id}/${w.id}`} store={store} widget={w}
          style={{ gridColumn: `${w.x + 1} / span ${Math.min(w.w, page.columns - w.x)}`, gridRow: `${w.y + 1} / span ${w.h}` }} />
      ))}
    </div>
  );
}
