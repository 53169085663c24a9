// node-red-contrib-modbus, the Modbus nodes the peer uses, installed at bench time next to
// Node-RED (never a dependency of ours), and the polling flow it runs in the benchmark.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PEER_DIR, ensureNodeRed } from './node-red';

// The newest release whose dependencies are all on the npm registry (later ones pull a
// tarball from a third-party host).
export const NODE_RED_MODBUS_VERSION = '5.23.3';

export function ensureNodeRedModbus(): string {
  const red = ensureNodeRed();
  const pkg = join(PEER_DIR, 'node_modules', 'node-red-contrib-modbus', 'package.json');
  if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version === NODE_RED_MODBUS_VERSION) return red;
  // npm 11 runs no dependency install scripts unless listed; serialport's binding builds here.
  const manifest = join(PEER_DIR, 'package.json');
  const m = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
  m.allowScripts = { ...(m.allowScripts as Record<string, boolean> | undefined), '@serialport/bindings-cpp': true };
  writeFileSync(manifest, JSON.stringify(m));
  console.error(`  installing node-red-contrib-modbus@${NODE_RED_MODBUS_VERSION} into ${PEER_DIR} (once) …`);
  const env = existsSync('/usr/include/node') ? { ...process.env, npm_config_nodedir: '/usr' } : process.env;
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', `node-red-contrib-modbus@${NODE_RED_MODBUS_VERSION}`], { cwd: PEER_DIR, env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !existsSync(pkg)) throw new Error(`could not install node-red-contrib-modbus@${NODE_RED_MODBUS_VERSION} into ${PEER_DIR}`);
  return red;
}

type NodeRedNode = Record<string, unknown> & { id: string };

/**
 * `devices` modbus-client connections (one TCP connection each, ports from `portBase`), each with
 * one modbus-read of `quantity` holding registers every `rateMs`, all into one counting function
 * that logs `BENCH_COUNT <reads> <bad>` four times a second.
 */
export function modbusPollFlow(options: { devices: number; quantity: number; rateMs: number; portBase: number }): NodeRedNode[] {
  const tab = { id: 'mb', type: 'tab', label: 'modbus' };
  const nodes: NodeRedNode[] = [tab];
  nodes.push({
    id: 'count',
    type: 'function',
    z: tab.id,
    name: 'count',
    outputs: 0,
    timeout: 0,
    libs: [],
    initialize: "setInterval(() => node.log('BENCH_COUNT ' + (context.get('n') || 0) + ' ' + (context.get('bad') || 0)), 250);",
    finalize: '',
    func: `context.set('n', (context.get('n') || 0) + 1);\nif (!Array.isArray(msg.payload) || msg.payload.length !== ${options.quantity}) context.set('bad', (context.get('bad') || 0) + 1);\nreturn null;`,
    wires: [],
  });
  for (let d = 0; d < options.devices; d++) {
    nodes.push({
      id: `client${d}`,
      type: 'modbus-client',
      name: `device${d}`,
      clienttype: 'tcp',
      bufferCommands: true,
      stateLogEnabled: false,
      queueLogEnabled: false,
      failureLogEnabled: true,
      tcpHost: '127.0.0.1',
      tcpPort: String(options.portBase + d),
      tcpType: 'DEFAULT',
      serialPort: '/dev/ttyUSB',
      serialType: 'RTU-BUFFERD',
      serialBaudrate: '9600',
      serialDatabits: '8',
      serialStopbits: '1',
      serialParity: 'none',
      serialConnectionDelay: '100',
      serialAsciiResponseStartDelimiter: '0x3A',
      unit_id: '1',
      commandDelay: '1',
      clientTimeout: '1000',
      reconnectOnTimeout: true,
      reconnectTimeout: '2000',
      parallelUnitIdsAllowed: true,
    });
    nodes.push({
      id: `read${d}`,
      type: 'modbus-read',
      z: tab.id,
      name: `read${d}`,
      topic: '',
      showStatusActivities: false,
      logIOActivities: false,
      showErrors: false,
      unitid: '1',
      dataType: 'HoldingRegister',
      adr: '0',
      quantity: String(options.quantity),
      rate: String(options.rateMs),
      rateUnit: 'ms',
      delayOnStart: false,
      startDelayTime: '',
      server: `client${d}`,
      useIOFile: false,
      ioFile: '',
      useIOForPayload: false,
      emptyMsgOnFail: false,
      wires: [['count'], []],
    });
  }
  return nodes;
}
