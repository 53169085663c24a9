// Display settings: from the address (`?kiosk=1&rotate=20&theme=dark&lang=en&range=7d`), else remembered, else defaults.
import type { Lang } from '../../nodes/dashboard/widget-format';
import type { Route, Settings, Theme } from './store';

const KEY = 'kaiwu-dashboard';

function remembered(): Partial<Settings> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Settings>;
  } catch {
    return {};
  }
}

export function remember(change: Partial<Pick<Settings, 'lang' | 'theme'>>): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...remembered(), ...change }));
  } catch {
    // Private mode or a locked-down kiosk browser: the choice lasts for this visit.
  }
}

export function readSettings(search: string): Settings {
  const q = new URLSearchParams(search);
  const saved = remembered();
  const kiosk = q.get('kiosk') === '1' || q.get('kiosk') === 'true';
  const lang: Lang = q.get('lang')?.startsWith('en') ? 'en' : q.get('lang')?.startsWith('zh') ? 'zh' : saved.lang ?? 'zh';
  const prefersLight = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: light)').matches;
  const asked = q.get('theme');
  // A shop-floor screen is dark unless told otherwise: it glares less and shows state colours best.
  const theme: Theme = asked === 'light' || asked === 'dark' ? asked : saved.theme ?? (kiosk || !prefersLight ? 'dark' : 'light');
  const rotate = Number(q.get('rotate'));
  return { lang, theme, kiosk, rotateSec: Number.isFinite(rotate) && rotate >= 5 ? rotate : 30, range: q.get('range') ?? undefined };
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'login') return { name: 'login' };
  if (parts[0] === 'report' && parts[1]) return { name: 'report', id: parts[1] };
  if (parts[0] === 'p' && parts[1]) return { name: 'page', id: parts[1] };
  return { name: 'page' };
}

export function routeHash(route: Route): string {
  if (route.name === 'login') return '#/login';
  if (route.name === 'report') return `#/report/${encodeURIComponent(route.id)}`;
  return route.id ? `#/p/${encodeURIComponent(route.id)}` : '#/';
}
