import { create } from 'zustand';
import type { Lang } from '../../nodes/dashboard/widget-format';
import type { View } from '../../nodes/dashboard/widget-patch';
import type { Me, Page } from './api';

export type Theme = 'dark' | 'light';
export type Connection = 'connecting' | 'live' | 'lost';

export type Route =
  | { readonly name: 'page'; readonly id?: string }
  | { readonly name: 'report'; readonly id: string }
  | { readonly name: 'login' };

export interface WidgetState {
  readonly seq: number;
  readonly view: View;
}

export interface DashState {
  /** undefined: not known yet; null: a login is needed. */
  readonly me: Me | null | undefined;
  readonly site: string | null;
  readonly sequence: number | null;
  readonly boot: string | null;
  readonly pages: readonly Page[] | undefined;
  readonly views: Readonly<Record<string, WidgetState>>;
  readonly connection: Connection;
  readonly alarmsVersion: number;
  /** Server time minus browser time. */
  readonly offset: number;
  readonly lang: Lang;
  readonly theme: Theme;
  readonly route: Route;
  readonly loadError: string | undefined;
}

export interface Settings {
  readonly lang: Lang;
  readonly theme: Theme;
  readonly kiosk: boolean;
  /** Seconds a page stays up in kiosk mode. */
  readonly rotateSec: number;
  readonly range: string | undefined;
}

export const createDashStore = (settings: Settings, route: Route) => create<DashState>(() => ({
  me: undefined,
  site: null,
  sequence: null,
  boot: null,
  pages: undefined,
  views: {},
  connection: 'connecting',
  alarmsVersion: 0,
  offset: 0,
  lang: settings.lang,
  theme: settings.theme,
  route,
  loadError: undefined,
}));

export type DashStore = ReturnType<typeof createDashStore>;
