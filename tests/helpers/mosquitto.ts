import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p));

export interface Broker {
  readonly port: number;
  readonly url: string;
  /** Stops it (its persistent sessions are saved and come back with start). */
  stop(): Promise<void>;
  start(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A real Debian mosquitto on 127.0.0.1, with persistence so sessions survive a restart. */
export async function startMosquitto(): Promise<Broker> {
  if (!BINARY) throw new Error('mosquitto is not installed: apt-get install -y mosquitto (bash .ci/run installs it)');
  const dir = mkdtempSync(join(tmpdir(), 'kaiwu-mosquitto-'));
  // Started as root, mosquitto drops to its own user; it must still be able to write its session file.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence true',
    `persistence_location ${dir}/`,
    'max_queued_messages 0',
    'max_inflight_messages 0',
    'log_type error',
  ].join('\n'));
  let proc: ChildProcess | undefined;
  const start = () => new Promise<void>((resolve, reject) => {
    proc = spawn(BINARY, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
    proc.once('exit', (code) => reject(new Error(`mosquitto exited with ${code}: ${err}`)));
    // Ready when it accepts connections.
    const t0 = Date.now();
    const probe = () => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve();
      });
      c.once('error', () => {
        if (Date.now() - t0 > 10_000) reject(new Error(`mosquitto did not listen on ${port}: ${err}`));
        else setTimeout(probe, 50);
      });
    };
    probe();
  });
  await start();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      if (!proc || proc.exitCode !== null) return resolve();
      proc.removeAllListeners('exit');
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
    start,
  };
}
