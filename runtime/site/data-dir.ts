import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a site runtime keeps what must survive a restart. */
export interface DataDir {
  readonly root: string;
  readonly database: string;
  readonly deployments: string;
  readonly state: string;
  readonly trustedKeys: string;
  readonly adminToken: string;
  readonly adminTokenHash: string;
  readonly lock: string;
  /** The studio this runtime is paired with (`kaiwu pair`): where to send heartbeats. */
  readonly studioLink: string;
}

export function dataDir(root: string): DataDir {
  return {
    root,
    database: join(root, 'kaiwu.db'),
    deployments: join(root, 'deployments'),
    state: join(root, 'deployments', 'state.json'),
    trustedKeys: join(root, 'trusted-keys'),
    adminToken: join(root, 'admin-token'),
    adminTokenHash: join(root, 'admin-token.sha256'),
    lock: join(root, 'runtime.lock'),
    studioLink: join(root, 'studio.json'),
  };
}

export function ensureDataDir(dir: DataDir): void {
  for (const d of [dir.root, dir.deployments, dir.trustedKeys]) mkdirSync(d, { recursive: true });
}

/**
 * Writes a file so that a reader (or a power cut) sees the old content or the new, never half:
 * a temporary file is written and synced, renamed over the target, and the folder synced.
 */
export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o644): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w', mode);
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const fd = openSync(dirname(file), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems cannot sync a folder; the rename itself is still atomic.
  }
}

export class RuntimeLockedError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Holds the folder for one runtime process; a stale lock of a dead process is taken over. */
export function acquireLock(dir: DataDir): () => void {
  let holder: number | undefined;
  try {
    holder = Number(readFileSync(dir.lock, 'utf8').trim());
  } catch {
    holder = undefined;
  }
  if (holder && holder !== process.pid && alive(holder)) {
    throw new RuntimeLockedError(`${dir.root} is in use by a running runtime (pid ${holder}) / 该数据目录正被运行中的进程 ${holder} 使用`);
  }
  writeFileSync(dir.lock, String(process.pid));
  return () => rmSync(dir.lock, { force: true });
}

/** True when a live runtime process holds the folder. */
export function isLocked(dir: DataDir): number | undefined {
  try {
    const pid = Number(readFileSync(dir.lock, 'utf8').trim());
    return pid && pid !== process.pid && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
