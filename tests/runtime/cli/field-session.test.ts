import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, runKaiwu } from '../../helpers/cli';
import { flowOf } from '../../helpers/flow';

const running: ChildProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.kill('SIGKILL');
});

/** Starts `kaiwu runtime` and resolves with its URL once it listens. */
function startRuntime(data: string, extra: string[] = []): Promise<{ proc: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [`${ROOT}bin/kaiwu.mjs`, '--lang', 'en', 'runtime', '--data', data, '--port', '0', '--log-level', 'warn', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(proc);
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (http:\/\/\S+)\n(running|nothing deployed)/.exec(out);
      if (m) resolve({ proc, url: m[1]!, output: () => out });
    });
    proc.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    proc.on('exit', (code) => reject(new Error(`runtime exited with ${code}: ${out}`)));
  });
}

function stop(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    proc.once('exit', (code) => resolve(code));
    proc.kill(signal);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a field engineer's session", () => {
  it('keygen, trust, start, bundle, deploy, status, restart, offline deploy, rollback', async () => {
    const work = mkdtempSync(join(tmpdir(), 'kaiwu-field-'));
    const data = join(work, 'site');
    const flow = (id: string) => {
      const file = join(work, `${id}.json`);
      writeFileSync(file, JSON.stringify(flowOf(id, [
        { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: 50 } },
        { id: 'show', type: 'debug', config: { active: false } },
      ], ['tick -> show'])));
      return file;
    };
    const kaiwu = (...args: string[]) => runKaiwu(['--lang', 'en', ...args]);

    expect((await kaiwu('keygen', '--out', join(work, 'keys/studio'))).code).toBe(0);
    expect(statSync(join(work, 'keys/studio.key')).mode & 0o777).toBe(0o600);
    expect((await kaiwu('trust', join(work, 'keys/studio.pub'), '--data', data)).stdout).toMatch(/now trusts bundles signed by key [0-9a-f]{16}/);

    const first = await startRuntime(data, ['--probation', '1']);
    const token = readFileSync(join(data, 'admin-token'), 'utf8').trim();
    expect(first.output()).toContain(`admin token (shown once; also written to ${join(data, 'admin-token')}, mode 0600): ${token}`);
    expect(statSync(join(data, 'admin-token')).mode & 0o777).toBe(0o600);

    expect((await kaiwu('bundle', flow('morning'), '--site', 'plant-7', '--sequence', '1', '--key', join(work, 'keys/studio.key'), '--out', join(work, 'b1.json'))).code).toBe(0);
    expect((await kaiwu('verify', join(work, 'b1.json'), '--key', join(work, 'keys/studio.pub'))).stdout).toContain('signature valid');
    const deployed = await kaiwu('deploy', join(work, 'b1.json'), '--to', first.url, '--token', token);
    expect(deployed.code, deployed.stdout).toBe(0);
    expect(deployed.stdout).toContain('deployed plant-7-1 (sequence 1');
    expect((await kaiwu('status', '--to', first.url)).code).toBe(1);
    await sleep(1300);
    const status = await kaiwu('status', '--to', first.url, '--token', token);
    expect(status.stdout).toContain('site: plant-7');
    expect(status.stdout).toMatch(/deployment: plant-7-1 \(sequence 1, active/);
    expect(status.stdout).toMatch(/morning\/tick +timer +running/);

    // A hard kill (power cut) and a restart: the deployment resumes by itself.
    await stop(first.proc, 'SIGKILL');
    const second = await startRuntime(data, ['--probation', '1']);
    expect(second.output()).toContain('running plant-7-1 (sequence 1)');
    expect(second.output()).not.toContain('admin token');
    expect(await stop(second.proc)).toBe(0);

    // A bundle brought on a USB stick, into the stopped runtime's folder.
    await kaiwu('bundle', flow('evening'), '--site', 'plant-7', '--sequence', '2', '--key', join(work, 'keys/studio.key'), '--out', join(work, 'b2.json'));
    const offline = await kaiwu('deploy', join(work, 'b2.json'), '--data', data);
    expect(offline.stdout).toContain('runs at the runtime\'s next start');
    const replay = await kaiwu('deploy', join(work, 'b1.json'), '--data', data);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain('stale-sequence');

    const third = await startRuntime(data, ['--probation', '1']);
    expect(third.output()).toContain('running plant-7-2 (sequence 2)');
    const busy = await kaiwu('deploy', join(work, 'b2.json'), '--data', data);
    expect(busy.stdout).toMatch(/the runtime is running \(pid \d+\)/);
    const rolled = await kaiwu('rollback', '--to', third.url, '--token', token);
    expect(rolled.stdout).toContain('rolled back to plant-7-1 (sequence 1)');
    expect((await kaiwu('status', '--to', third.url, '--token', token)).stdout).toMatch(/morning\/tick +timer +running/);
    expect(await stop(third.proc)).toBe(0);
  });
});
