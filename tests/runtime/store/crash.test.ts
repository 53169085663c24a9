import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../../runtime/store';
import { tempDir } from './temp-store';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const T0 = Date.UTC(2025, 5, 2);
const KILLS = 20;

/** Runs the writer until it has acknowledged something, waits a random moment, and SIGKILLs it. */
function runAndKill(file: string, run: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(run)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = 0;
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        const m = /^acked (\d+)$/.exec(line);
        if (m) acked = Number(m[1]);
      }
      if (acked > 0 && !armed) {
        armed = true;
        // Somewhere inside the next transactions: before, during or after a commit.
        setTimeout(() => child.kill('SIGKILL'), 20 + Math.random() * 200);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited by itself (code ${code}): ${err}`));
    });
  });
}

describe('store: kill -9 during heavy ingest', () => {
  it(`keeps the file intact and every acknowledged point, ${KILLS} kills in a row`, async () => {
    const file = join(tempDir(), 'crash.db');
    let total = 0;
    for (let run = 0; run < KILLS; run++) {
      const acked = await runAndKill(file, run);
      expect(acked).toBeGreaterThan(0);

      const db = new Database(file);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const have = db.prepare(`SELECT count(*) FROM points p JOIN series s ON s.id = p.series_id
          WHERE s.device = ? AND p.ts < ?`).pluck().get(`run-${run}`, T0 + acked);
        expect(have, `run ${run}: points acknowledged before the kill`).toBe(acked);
        // Row counts live in the same transactions as the rows, so they survive with them.
        const counted = db.prepare("SELECT n FROM row_counts WHERE name = 'points'").pluck().get();
        expect(db.prepare('SELECT count(*) FROM points').pluck().get()).toBe(counted);
        total = counted as number;
      } finally {
        db.close();
      }
    }
    // The store opens on the file as it was left and answers from it.
    const store = createStore({ file });
    try {
      expect(store.stats().rows.points).toBe(total);
      expect(store.listSeries().length).toBeGreaterThanOrEqual(KILLS * 4);
    } finally {
      store.close();
    }
  }, 60_000);
});
