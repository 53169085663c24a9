// A pseudo-terminal through socat: the client side is a real serial port (termios, the RTU
// stack of modbus-serial and serialport); the far side of the pty is bridged to a TCP port where
// the simulator answers in RTU framing, as the devices of one RS-485 line would.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './helpers';

export function requireSocat(): void {
  const r = spawnSync('socat', ['-V'], { stdio: 'ignore' });
  if (r.error || r.status !== 0) {
    throw new Error('socat is not installed: the RTU tests drive a real pseudo-terminal through it. Install it with "apt-get install -y socat" (Debian/Ubuntu) or "brew install socat" (macOS).');
  }
}

export async function openPty(tcpPort: number): Promise<{ path: string; close(): Promise<void> }> {
  requireSocat();
  const dir = mkdtempSync(join(tmpdir(), 'kaiwu-pty-'));
  const path = join(dir, 'ttyRS485');
  const proc = spawn('socat', [`pty,link=${path},raw,echo=0`, `tcp:127.0.0.1:${tcpPort}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    await until(`socat to create ${path}`, () => existsSync(path) || proc.exitCode !== null, 10_000);
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  }
  if (!existsSync(path)) throw new Error(`socat exited: ${stderr}`);
  return {
    path,
    close: () => new Promise((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (proc.exitCode !== null) return done();
      proc.once('exit', done);
      proc.kill('SIGTERM');
    }),
  };
}
