// The designer's pages: one line a page, each lazy-loaded. Add yours here (see shell/page-route.ts).
import { lazy } from 'react';
import type { PageRoute } from './shell/page-route';

export const ROUTES: readonly PageRoute[] = [
  { path: '/', page: lazy(() => import('./shell/home-page')), nav: { label: { zh: '首页', en: 'Home' }, icon: '⌂' } },
  { path: '/editor', page: lazy(() => import('./editor/editor-page')), nav: { label: { zh: '流程编辑', en: 'Flow editor' }, icon: '◇' }, roles: ['contractor', 'admin'] },
  { path: '/templates/*', page: lazy(() => import('./templates/templates-page')), nav: { label: { zh: '模板编写', en: 'Templates' }, icon: '✎', to: '/templates' }, roles: ['contractor', 'admin'] },
  { path: '/preview/instances/:id', page: lazy(() => import('./preview/instance-preview-page')), roles: ['admin', 'contractor', 'enterprise'] },
];
