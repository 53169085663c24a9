// The designer's pages: one line a page, each lazy-loaded. Add yours here (see shell/page-route.ts).
import { lazy } from 'react';
import type { PageRoute } from './shell/page-route';

export const ROUTES: readonly PageRoute[] = [
  { path: '/', page: lazy(() => import('./shell/home-page')), nav: { label: { zh: '首页', en: 'Home' }, icon: '⌂' } },
  { path: '/editor', page: lazy(() => import('./editor/editor-page')), nav: { label: { zh: '流程编辑', en: 'Flow editor' }, icon: '◇' }, roles: ['contractor', 'admin'] },
  { path: '/templates/*', page: lazy(() => import('./templates/templates-page')), nav: { label: { zh: '模板编写', en: 'Templates' }, icon: '✎', to: '/templates' }, roles: ['contractor', 'admin'] },
  { path: '/preview/instances/:id', page: lazy(() => import('./preview/instance-preview-page')), roles: ['admin', 'contractor', 'enterprise'] },
  { path: '/library', page: lazy(() => import('./library/library-page')), nav: { label: { zh: '模板库', en: 'Library' }, icon: '▦' } },
  { path: '/library/:id', page: lazy(() => import('./library/template-page')) },
  { path: '/instances', page: lazy(() => import('./instances/instances-page')), nav: { label: { zh: '实例', en: 'Instances' }, icon: '▤' } },
  { path: '/instances/copy/:sampleId', page: lazy(() => import('./instances/copy-wizard-page')), roles: ['contractor', 'enterprise'] },
  { path: '/instances/:id', page: lazy(() => import('./instances/instance-page')) },
  { path: '/instances/:id/upgrade', page: lazy(() => import('./instances/upgrade-page')), roles: ['contractor', 'enterprise'] },
  { path: '/fleet', page: lazy(() => import('./fleet/fleet-page')), nav: { label: { zh: '机队', en: 'Fleet' }, icon: '◎' } },
  { path: '/fleet/sites/:id', page: lazy(() => import('./fleet/site-page')) },
  { path: '/audit', page: lazy(() => import('./audit/audit-page')), nav: { label: { zh: '审计日志', en: 'Audit log' }, icon: '☰' }, roles: ['admin'] },
];
