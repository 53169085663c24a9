import { existsSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Request, Response } from 'express';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * A built app's `assets/` folder: hashed file names, each possibly with a `.br` and a `.gz`
 * made at build time. `send` answers with the compressed file a browser takes (no compressing
 * per request: a phone on the shop Wi-Fi gets the brotli file), and says whether it did.
 */
export function precompressedAssets(dir: string) {
  const files: ReadonlySet<string> = new Set(existsSync(dir) ? readdirSync(dir) : []);
  return {
    /** The asset a request under `/assets` names, or undefined when there is no such file. */
    nameOf(req: Request): string | undefined {
      const name = req.path.slice(1);
      return files.has(name) && !name.includes('/') ? name : undefined;
    },
    send(req: Request, res: Response, name: string): boolean {
      const accepts = String(req.headers['accept-encoding'] ?? '');
      for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']] as const) {
        if (!accepts.includes(encoding) || !files.has(name + suffix)) continue;
        res.setHeader('Content-Encoding', encoding);
        res.setHeader('Vary', 'Accept-Encoding');
        res.setHeader('Cache-Control', IMMUTABLE);
        res.type(extname(name));
        res.sendFile(join(dir, name + suffix));
        return true;
      }
      return false;
    },
    /** The file itself, uncompressed, cached for good. */
    sendPlain(res: Response, name: string): void {
      res.setHeader('Cache-Control', IMMUTABLE);
      res.sendFile(join(dir, name));
    },
  };
}
