import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./run-studio.ts', import.meta.url));

/** Starts the command, waits for its address, hands it to `use`, then stops it with SIGTERM. */
async function run(data: string, lang: string, use: (url: string) => Promise<void>): Promise<{ code: number | null; lines: string[] }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', SCRIPT, data, lang], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}${err}`)));
  });
  await use(url);
  const code = await new Promise<number | null>((resolve) => {
    proc.on('exit', resolve);
    proc.kill('SIGTERM');
  });
  return { code, lines: out.trim().split('\n') };
}

describe('kaiwu studio', () => {
  it('listens, prints the first admin password once and the key to trust, and stops cleanly on SIGTERM', async () => {
    const data = mkdtempSync(join(tmpdir(), 'kaiwu-studio-cmd-'));
    const first = await run(data, 'zh', async (url) => {
      const health = await fetch(`${url}/api/health`);
      expect(await health.json()).toMatchObject({ ok: true });
      const password = readFileSync(join(data, 'admin-password'), 'utf8').trim();
      const login = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password, client: 'api' }) });
      expect(login.status).toBe(200);
    });
    expect(first.code).toBe(0);
    const password = readFileSync(join(data, 'admin-password'), 'utf8').trim();
    expect(first.lines[0]).toBe(`管理员 admin 的密码（只显示这一次，也已写入 ${join(data, 'admin-password')}，权限 0600）：${password}`);
    expect(first.lines.some((l) => l.includes('kaiwu trust') && l.includes(join(data, 'studio.pub')))).toBe(true);
    expect(first.lines.at(-1)).toBe('已停止 stopped');

    const second = await run(data, 'en', async () => undefined);
    expect(second.code).toBe(0);
    expect(second.lines.join('\n')).not.toContain(password);
    expect(second.lines[0]).toMatch(/^signing key [0-9a-f]{16}: /);
  });
});
