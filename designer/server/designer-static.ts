import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Router } from 'express';
import { precompressedAssets } from '../../runtime/server/precompressed-assets';

/**
 * What the designer page may load: its own scripts, styles (React Flow and Monaco set inline
 * styles), fonts and images, Monaco's workers (module workers from our origin; blob: for the
 * ones Monaco starts itself), and the studio API. Nothing from another origin.
 */
export const DESIGNER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** The built designer beside the sources (`dist/designer`) or beside the bundled CLI (`dist/*.mjs`). */
export function findDesignerDir(): string | undefined {
  for (const rel of ['../../dist/designer/', './designer/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/**
 * Serves the designer single-page app: hashed assets cached for good (precompressed .br/.gz
 * when the browser takes them), and index.html for every other GET that is not under /api
 * (the SPA fallback, so /editor or /instances/42 load the app). Without a built app it
 * answers 503 with what to run.
 */
export function designerStatic(appDir: string | undefined): Router {
  const router = express.Router();
  const isApi = (path: string) => path === '/api' || path.startsWith('/api/');
  if (!appDir || !existsSync(join(appDir, 'index.html'))) {
    router.get('/{*splat}', (req, res, next) => {
      if (isApi(req.path)) return next();
      res.status(503).type('text/plain; charset=utf-8').send('设计器尚未构建：请运行 npm run build\nThe designer is not built: run npm run build\n');
    });
    return router;
  }
  const index = readFileSync(join(appDir, 'index.html'), 'utf8');
  const assets = precompressedAssets(join(appDir, 'assets'));
  router.use('/assets', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = assets.nameOf(req);
    if (name === undefined) return next();
    res.setHeader('Content-Security-Policy', DESIGNER_CSP);
    if (!assets.send(req, res, name)) assets.sendPlain(res, name);
  });
  router.get('/{*splat}', (req, res, next) => {
    if (isApi(req.path) || req.path.startsWith('/assets/')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', DESIGNER_CSP);
    res.type('html').send(index);
  });
  return router;
}
