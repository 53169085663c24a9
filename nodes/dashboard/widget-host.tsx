// What the dashboard app gives every widget: language, theme, the clock, and its data services.
import { createContext, useContext, useEffect, useState } from 'react';
import type { Lang } from './widget-format';

export interface AlarmRow {
  readonly id: number;
  readonly code: string;
  readonly device?: string;
  readonly kind?: string;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly text?: { zh: string; en: string };
  readonly raisedAt: number;
  readonly value?: number;
  readonly limit?: number;
  readonly active: boolean;
  readonly clearedAt?: number;
  readonly ack?: { readonly by: string; readonly at: number; readonly comment?: string };
}

export interface SeriesAnswer {
  readonly from: number;
  readonly to: number;
  readonly downsampled: boolean;
  readonly bucketMs?: number;
  readonly points: readonly (readonly [number, number | null])[];
}

export interface WidgetHost {
  readonly lang: Lang;
  readonly theme: 'dark' | 'light';
  /** Server time now (the browser's clock may be off). */
  now(): number;
  /** May this viewer acknowledge alarms? */
  readonly canAck: boolean;
  /** Bumped when alarms changed somewhere (an acknowledgement by another viewer). */
  readonly alarmsVersion: number;
  /** Range the page asks line charts to show (`?range=7d`), if any. */
  readonly range?: string;
  /** A stored series a widget shows; `device` for a per-device line. */
  series(key: string, series: string, from: number, to: number, maxPoints: number, device?: string): Promise<SeriesAnswer>;
  alarms(key: string, active: boolean, limit: number): Promise<AlarmRow[]>;
  ack(id: number, comment?: string): Promise<void>;
}

const unavailable = () => Promise.reject(new Error('no dashboard host'));

export const WidgetHostContext = createContext<WidgetHost>({
  lang: 'zh', theme: 'dark', now: () => Date.now(), canAck: false, alarmsVersion: 0,
  series: unavailable, alarms: unavailable, ack: unavailable,
});

export const useHost = () => useContext(WidgetHostContext);

/** Re-renders every `ms`, for things drawn against "now" (a growing timeline, "since" durations). */
export function useNow(ms: number): number {
  const host = useHost();
  const [now, setNow] = useState(() => host.now());
  useEffect(() => {
    const t = setInterval(() => setNow(host.now()), ms);
    return () => clearInterval(t);
  }, [host, ms]);
  return now;
}

/** The props the app gives a widget component. */
export interface WidgetProps<C, V> {
  readonly config: C;
  readonly view: V | undefined;
  /** `flowId/nodeId`: names the widget in history and alarm requests. */
  readonly widgetKey?: string;
  readonly title: string;
}

/** A widget's browser part, as the app registers it. */
export interface WidgetModule {
  readonly kind: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each widget types its own config and view
  readonly component: (props: WidgetProps<any, any>) => React.ReactNode;
  /** Its texts, registered as the i18n namespace `kind`. */
  readonly messages: { readonly zh: Record<string, string>; readonly en: Record<string, string> };
}
