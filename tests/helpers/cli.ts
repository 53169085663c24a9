import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the built `kaiwu` command and collects its exit code and output. */
export function runKaiwu(args: string[], options: { timeoutMs?: number; env?: Record<string, string>; onLine?: (line: string, kill: () => void) => void } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [`${ROOT}bin/kaiwu.mjs`, ...args], { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const kill = () => proc.kill('SIGINT');
    proc.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      partial += c.toString();
      let nl: number;
      while ((nl = partial.indexOf('\n')) >= 0) {
        options.onLine?.(partial.slice(0, nl), kill);
        partial = partial.slice(nl + 1);
      }
    });
    proc.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`kaiwu ${args.join(' ')} did not finish in time:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
