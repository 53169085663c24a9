// The designer's pages: one line a page, each lazy-loaded. Add yours here (see shell/page-route.ts).
import { lazy } from 'react';
import type { PageRoute } from './shell/page-route';

export const ROUTES: readonly PageRoute[] = [
  { path: '/', page: lazy(() => import('./shell/home-page')), nav: { label: { zh: '首页', en: 'Home' }, icon: '⌂' } },
  { path: '/editor', page: lazy(() => import('./editor/editor-page')), nav: { label: { zh: '流程编辑', en: 'Flow editor' }, icon: '◇' }, roles: ['contractor', 'admin'] },
];
