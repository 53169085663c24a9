import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { precompressedAssets } from '../../../runtime/server/precompressed-assets';

const dir = mkdtempSync(join(tmpdir(), 'kaiwu-assets-'));
const js = 'console.log("看板");\n'.repeat(50);
writeFileSync(join(dir, 'app-1a2b.js'), js);
writeFileSync(join(dir, 'app-1a2b.js.br'), brotliCompressSync(js));
writeFileSync(join(dir, 'app-1a2b.js.gz'), gzipSync(js));
writeFileSync(join(dir, 'only-gz.css'), 'a{}');
writeFileSync(join(dir, 'only-gz.css.gz'), gzipSync('a{}'));

const assets = precompressedAssets(dir);
const app = express();
app.use('/assets', (req, res, next) => {
  const name = assets.nameOf(req);
  if (name === undefined) return next();
  if (!assets.send(req, res, name)) assets.sendPlain(res, name);
});
app.use((_req, res) => res.status(404).send('not here'));
const server = app.listen(0, '127.0.0.1');
afterAll(() => server.close());
const get = (path: string, encoding: string) => fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, { headers: { 'Accept-Encoding': encoding } });

describe('precompressed assets', () => {
  it('sends the brotli file to a browser that takes it, else the gzip one, else the file itself', async () => {
    const br = await get('/assets/app-1a2b.js', 'gzip, deflate, br');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toMatch(/javascript/);
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await br.text()).toBe(js);
    const gz = await get('/assets/only-gz.css', 'gzip, deflate, br');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(await gz.text()).toBe('a{}');
    const plain = await get('/assets/app-1a2b.js', 'identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(js);
  });

  it('leaves names it does not have, and paths into subfolders, to the next handler', async () => {
    expect((await get('/assets/missing.js', 'br')).status).toBe(404);
    expect((await get('/assets/../app-1a2b.js', 'br')).status).toBe(404);
    expect((await get('/assets/x/app-1a2b.js', 'br')).status).toBe(404);
  });
});
