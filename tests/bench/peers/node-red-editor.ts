// Node-RED's editor, the designer benchmark's peer: our 300-node bench flow converted to
// Node-RED's own nodes (timer → inject, rule → function, switch, change, debug; same ids, same
// positions, wired the same way), and a userDir whose settings turn the editor ON (the shared
// settings of ./node-red.ts turn it off) and load only Node-RED's core nodes.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PEER_DIR } from './node-red';

type NodeRedNode = Record<string, unknown> & { id: string };

/** The subset of our flow format the conversion reads. */
export interface BenchFlow {
  readonly nodes: readonly { id: string; type: string; config: Record<string, unknown>; position?: { x: number; y: number } }[];
  readonly edges: readonly { source: string; sourcePort: string; target: string; targetPort: string }[];
}

/**
 * Node-RED nodes doing what ours do; `x`/`y` are node centres in Node-RED, our positions are
 * top-left corners, so ours are shifted by half a Node-RED node (120 × 30).
 */
export function toNodeRed(flow: BenchFlow): NodeRedNode[] {
  const tab = 'bench';
  const out: NodeRedNode[] = [{ id: tab, type: 'tab', label: 'bench 300', disabled: false, info: '' }];
  const wires = new Map<string, string[]>();
  for (const e of flow.edges) wires.set(e.source, [...(wires.get(e.source) ?? []), e.target]);
  for (const n of flow.nodes) {
    const base = { id: n.id, z: tab, name: '', x: (n.position?.x ?? 0) + 60, y: (n.position?.y ?? 0) + 15, wires: [wires.get(n.id) ?? []] };
    switch (n.type) {
      case 'timer':
        out.push({ ...base, type: 'inject', props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: '20', payloadType: 'num' });
        break;
      case 'rule':
        out.push({ ...base, type: 'function', func: String(n.config.code ?? 'return msg;'), outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [] });
        break;
      case 'switch':
        out.push({ ...base, type: 'switch', property: 'payload', propertyType: 'msg', rules: [{ t: 'gt', v: '50', vt: 'num' }], checkall: 'true', repair: false, outputs: 1 });
        break;
      case 'change':
        out.push({ ...base, type: 'change', rules: [{ t: 'set', p: 'topic', pt: 'msg', to: 'alarm', tot: 'str' }], action: '', property: '', from: '', to: '', reg: false });
        break;
      case 'debug':
        out.push({ ...base, type: 'debug', active: false, tosidebar: true, console: false, tostatus: false, complete: 'payload', targetType: 'msg', statusVal: '', statusType: 'auto', wires: [] });
        break;
      default:
        throw new Error(`no Node-RED counterpart for node type ${n.type}`);
    }
  }
  return out;
}

/**
 * A userDir with the editor enabled (no admin auth: the editor opens straight away), on
 * 127.0.0.1 and port 0, no telemetry, update checks, tours, projects or grid snapping, and only core nodes
 * (the peer folder also holds node-red-contrib-modbus and the FlowFuse dashboard for other
 * benchmarks; `denyList` keeps them out of this palette).
 */
export function writeEditorUserDir(name: string, flows: NodeRedNode[]): string {
  const dir = join(PEER_DIR, 'run', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.js'), `module.exports = {
  flowFile: 'flows.json', credentialSecret: false, uiHost: '127.0.0.1', uiPort: 0, disableEditor: false,
  diagnostics: { enabled: false, ui: false }, runtimeState: { enabled: false, ui: false },
  telemetry: { enabled: false, updateNotification: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false, denyList: ['*'] } },
  functionExternalModules: false, logging: { console: { level: 'info', metrics: false, audit: false } },
  editorTheme: { projects: { enabled: false }, tours: false, palette: { catalogues: [] }, multiplayer: { enabled: false } },
};
`);
  // The editor's user settings (anonymous user "_"): no snapping to the 20 px grid while
  // dragging, as in our editor, so a small mouse step moves the node in both.
  writeFileSync(join(dir, '.config.users.json'), JSON.stringify({ _: { editor: { view: { 'view-snap-grid': false } } } }));
  writeFileSync(join(dir, 'flows.json'), JSON.stringify(flows));
  return dir;
}
