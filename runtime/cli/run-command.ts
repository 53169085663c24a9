import { pino } from 'pino';
import { createNodeRegistry } from '../../nodes/registry';
import { EngineDeployError, createEngine } from '../engine/engine';
import { createDeviceManager } from '../devices/manager';
import type { Lang } from '../model';
import { describeProblem } from '../model';
import { attachConsole, formatStats } from './live-console';
import { readJsonFile } from './read-json';
import { untilSignal } from './signals';
import { startupDone } from './startup-heap';

export interface RunOptions {
  readonly lang: Lang;
  readonly quiet: boolean;
  readonly statsEverySec: number;
  readonly logLevel: string;
  /** Stop by itself after this many seconds (tests, demos); 0 runs until Ctrl-C. */
  readonly forSec: number;
}

/** Runs flows in the foreground, printing what they do, until Ctrl-C (or `forSec`). */
export async function runCommand(files: readonly string[], options: RunOptions, out: (line: string) => void): Promise<number> {
  const t0 = performance.now();
  const signalled = untilSignal();
  const flows = files.map((f) => readJsonFile(f));
  const logger = pino({ level: options.logLevel }, pino.destination(2));
  // Modbus devices are opened only when a flow reads or writes them.
  const devices = createDeviceManager({ logger: logger.child({ part: 'devices' }) });
  devices.start();
  const engine = createEngine({ registry: createNodeRegistry(), logger, services: { devices } });
  try {
    await engine.deploy(flows.length === 1 ? flows[0] : flows);
  } catch (err) {
    if (!(err instanceof EngineDeployError)) throw err;
    for (const p of err.problems) out(`${files.length === 1 ? files[0] : 'flows'}: ${describeProblem(p, options.lang)}`);
    await devices.stop();
    return 1;
  }
  const nodes = engine.stats().length;
  const ms = Math.round(performance.now() - t0);
  out(options.lang === 'zh'
    ? `流程已运行 flows running: ${engine.flows.length} 个流程，${nodes} 个节点，用时 ${ms} ms（Ctrl-C 停止）`
    : `flows running: ${engine.flows.length} flow(s), ${nodes} nodes, in ${ms} ms (Ctrl-C stops)`);
  startupDone();
  const detach = attachConsole(engine, options, out);

  await Promise.race([signalled, ...(options.forSec > 0 ? [new Promise((r) => setTimeout(r, options.forSec * 1000).unref())] : [])]);
  detach();
  const report = await engine.stop();
  await devices.stop();
  out(formatStats(engine.stats(), options.lang));
  if (report.timedOut.length > 0) {
    out(options.lang === 'zh' ? `未按时停止的节点：${report.timedOut.join('、')}` : `nodes that did not stop in time: ${report.timedOut.join(', ')}`);
  }
  out(options.lang === 'zh' ? '已停止 stopped' : 'stopped');
  return 0;
}
