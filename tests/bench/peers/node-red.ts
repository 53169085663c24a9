// Node-RED, the peer, installed at bench time into a folder outside the project (never a
// dependency), started headless on 127.0.0.1 with a generated userDir.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const NODE_RED_VERSION = '4.1.15';
export const PEER_DIR = process.env.KAIWU_PEER_DIR ?? '/tmp/kaiwu-peers';

export function ensureNodeRed(): string {
  const red = join(PEER_DIR, 'node_modules', 'node-red', 'red.js');
  if (existsSync(red)) return red;
  mkdirSync(PEER_DIR, { recursive: true });
  if (!existsSync(join(PEER_DIR, 'package.json'))) writeFileSync(join(PEER_DIR, 'package.json'), JSON.stringify({ name: 'kaiwu-peers', private: true }));
  console.error(`  installing node-red@${NODE_RED_VERSION} into ${PEER_DIR} (once) …`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', `node-red@${NODE_RED_VERSION}`], { cwd: PEER_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !existsSync(red)) throw new Error(`could not install node-red@${NODE_RED_VERSION} into ${PEER_DIR}`);
  return red;
}

type NodeRedNode = Record<string, unknown> & { id: string };

/** Writes settings (loopback, port 0, no telemetry, editor off) and flows; nodes get positions so Node-RED wires them. */
export function writeUserDir(name: string, flows: NodeRedNode[]): string {
  const dir = join(PEER_DIR, 'run', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.js'), `module.exports = {
  flowFile: 'flows.json', credentialSecret: false, uiHost: '127.0.0.1', uiPort: 0, disableEditor: true,
  diagnostics: { enabled: false, ui: false }, runtimeState: { enabled: false, ui: false },
  telemetry: { enabled: false, updateNotification: false }, externalModules: { autoInstall: false },
  functionExternalModules: false, logging: { console: { level: 'info', metrics: false, audit: false } },
  editorTheme: { projects: { enabled: false }, tours: false },
};
`);
  let i = 0;
  for (const n of flows) {
    if (n.z && Array.isArray(n.wires) && n.x === undefined) {
      n.x = 100 + 150 * (i % 8);
      n.y = 50 + 50 * Math.floor(i / 8);
      i++;
    }
  }
  writeFileSync(join(dir, 'flows.json'), JSON.stringify(flows));
  return dir;
}

export interface Started {
  readonly proc: ChildProcess;
  readonly startedMs: number;
}

/** Starts Node-RED; resolves when it logs "Started flows". */
export function startNodeRed(red: string, dir: string, onLine?: (line: string) => void): Promise<Started> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const proc = spawn(process.execPath, [red, '--userDir', dir, '--settings', join(dir, 'settings.js'), 'flows.json'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let started = false;
    let buffer = '';
    const tail: string[] = [];
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`Node-RED did not start:\n${tail.join('\n')}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        tail.push(line);
        if (tail.length > 40) tail.shift();
        if (!started && line.includes('Started flows')) {
          started = true;
          clearTimeout(timer);
          resolve({ proc, startedMs: performance.now() - t0 });
        }
        onLine?.(line);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => {
      if (!started) {
        clearTimeout(timer);
        reject(new Error(`Node-RED exited with ${code}:\n${tail.join('\n')}`));
      }
    });
  });
}

export function stopProcess(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve();
    const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}
