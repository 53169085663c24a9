import { flowOf } from '../helpers/flow';

export const DEVICES = ['IMM-01', 'IMM-02', 'IMM-03'] as const;

/** State codes each machine goes through, one step every five ticks (1 running, 0 idle, 2 fault, 3 planned stop). */
export const PLAN: Record<(typeof DEVICES)[number], number[]> = {
  'IMM-01': [1, 1, 1, 0, 2, 1, 1, 1],
  'IMM-02': [1, 2, 2, 1, 1, 0, 1, 1],
  'IMM-03': [0, 1, 1, 1, 3, 3, 1, 1],
};

/**
 * A moulding shop simulated by a rule on a timer: per tick one message per machine with its
 * state, barrel temperature, part counter and energy meter. IMM-02 runs hot from tick 8 on, so
 * the threshold alarm raises once and stays active. `limit` stops the machines after that many
 * ticks (0: never), so a test can compare what was produced with what is drawn.
 */
export function simulatorCode(limit: number): string {
  return `
state.n = (state.n || 0) + 1;
state.count = state.count || {};
const limit = ${limit};
if (limit > 0 && state.n > limit) return;
const n = state.n;
const plan = ${JSON.stringify(PLAN)};
const out = [];
for (const device of Object.keys(plan)) {
  const codes = plan[device];
  const code = codes[Math.floor((n - 1) / 5) % codes.length];
  state.count[device] = (state.count[device] || 0) + (code === 1 ? (device === 'IMM-03' ? 2 : 3) : 0);
  const hot = device === 'IMM-02' && n >= 8;
  const temp = (hot ? 240 : 218) + (n % 7) * 0.5 + (device === 'IMM-03' ? 4 : 0);
  out.push({ device, topic: 'machine', payload: { state: code, temp, totalCount: state.count[device], energy: 1000 + n * 0.05 + (device === 'IMM-01' ? 200 : 0), speed: code === 1 ? 42 : 0 } });
}
return out;`;
}

/** The shop's two scenarios: machine status (N) and output and energy (X). */
export function shopFlows(options: { tickMs?: number; limit?: number } = {}) {
  const tickMs = options.tickMs ?? 200;
  const status = flowOf('status', [
    { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: tickMs } },
    // The shift starts when the flow does: the timeline is drawn from its start.
    { id: 'shift', type: 'timer', config: { mode: 'interval', intervalMs: 86_400_000, fireAtStart: true, payload: { shift: '早班' } } },
    { id: 'sim', type: 'rule', config: { code: simulatorCode(options.limit ?? 0) } },
    { id: 'produced', type: 'debug', config: { bufferSize: 5000, maxPerSecond: 1 } },
    { id: 'overheat', type: 'threshold-alarm', config: { property: 'payload.temp', high: 235, hysteresis: 2, severity: 'critical', code: 'barrel-overheat', text: { zh: '料筒温度过高', en: 'Barrel overheating' } } },
    { id: 'grid', type: 'device-grid', config: { devices: [...DEVICES], fields: [{ property: 'payload.temp', label: { zh: '料筒温度', en: 'Barrel' }, unit: '°C', decimals: 1 }, { property: 'payload.speed', label: { zh: '节拍', en: 'Cycles' }, unit: '/min' }] } },
    { id: 'timeline', type: 'state-timeline', config: { devices: [...DEVICES], windowMs: 60_000 } },
    { id: 'temp1', type: 'gauge', config: { property: 'payload.temp', device: 'IMM-01', min: 150, max: 260, unit: '°C', decimals: 1, bands: [{ to: 230, color: 'ok' }, { to: 240, color: 'warn' }, { to: 260, color: 'alarm' }] } },
    { id: 'parts', type: 'stat', config: { property: 'payload.totalCount', device: 'IMM-01', unit: 'pcs', decimals: 0, target: 50, trendMs: 60_000 } },
    { id: 'alarms', type: 'alarm-list', config: {} },
    { id: 'note', type: 'text', config: { markdown: { zh: '**本班目标** 每台 3000 件\n\n1 号机已生产 **{{value}}** 件；料筒温度超过 235 °C 请停机检查。', en: '**Shift goal**: 3,000 pcs a machine\n\nMachine 1 has made **{{value}}** pcs; stop and check above 235 °C barrel temperature.' }, property: 'payload.totalCount', device: 'IMM-01' } },
  ], ['tick -> sim', 'shift -> timeline:reset', 'sim -> produced', 'sim -> overheat', 'sim -> grid', 'sim -> timeline', 'sim -> temp1', 'sim -> parts', 'overheat:alarm -> alarms', 'sim -> note']);

  const output = flowOf('output', [
    { id: 'tick', type: 'timer', config: { mode: 'interval', intervalMs: tickMs } },
    { id: 'sim', type: 'rule', config: { code: simulatorCode(options.limit ?? 0) } },
    { id: 'keep', type: 'history', config: { fields: ['temp', 'totalCount', 'energy'] } },
    { id: 'oee', type: 'oee', config: { idealCycleSec: 0.06, emitEveryMs: 1_000 } },
    { id: 'keep-oee', type: 'history', config: { fields: ['availability', 'performance', 'quality', 'oee', 'total', 'good', 'runMs', 'plannedMs'], prefix: 'oee.' } },
    { id: 'keep-stops', type: 'history', config: { property: 'payload.stopMs', fields: ['idle', 'fault', 'offline', 'plannedStop'], prefix: 'oee.stop.' } },
    { id: 'temps', type: 'line-chart', config: {
      windowMs: 60_000,
      unit: '°C',
      series: DEVICES.map((d, i) => ({ key: `t${i + 1}`, label: { zh: `${d} 温度`, en: `${d} temperature` }, property: 'payload.temp', device: d, history: { tag: 'temp' } })),
    } },
    { id: 'per-device', type: 'bar-chart', config: { fields: [{ property: 'payload.totalCount', label: { zh: '产量', en: 'Output' } }], categories: [...DEVICES], unit: 'pcs', decimals: 0 } },
    { id: 'oee-bars', type: 'bar-chart', config: { fields: [{ property: 'payload.availability', label: { zh: '时间开动率', en: 'Availability' } }, { property: 'payload.performance', label: { zh: '性能开动率', en: 'Performance' } }, { property: 'payload.quality', label: { zh: '合格品率', en: 'Quality' } }], categories: [...DEVICES], decimals: 2 } },
    { id: 'latest', type: 'table', config: { columns: [
      { property: 'device', label: { zh: '设备', en: 'Device' } },
      { property: 'payload.totalCount', label: { zh: '产量', en: 'Output' }, unit: 'pcs' },
      { property: 'payload.temp', label: { zh: '温度', en: 'Temperature' }, unit: '°C', decimals: 1 },
      { property: 'payload.energy', label: { zh: '电表读数', en: 'Meter' }, unit: 'kWh', decimals: 2 },
      { property: 'ts', label: { zh: '时间', en: 'Time' } },
    ] } },
    { id: 'energy', type: 'stat', config: { property: 'payload.energy', device: 'IMM-01', unit: 'kWh', decimals: 2, better: 'lower', trendMs: 60_000 } },
  ], ['tick -> sim', 'sim -> keep', 'sim -> oee', 'oee -> keep-oee', 'oee -> keep-stops', 'oee -> oee-bars', 'sim -> temps', 'sim -> per-device', 'sim -> latest', 'sim -> energy']);
  // The history node's device comes from each message.
  return [status, output];
}

/** Dashboard pages as a template resolves them: one per scenario, widgets on a 12-column grid. */
export function shopDashboards() {
  return [
    {
      scenario: 'status', title: { zh: '设备状态', en: 'Machine status' }, columns: 12,
      widgets: [
        { id: 'grid', node: 'grid', title: { zh: '注塑机', en: 'Moulding machines' }, x: 0, y: 0, w: 5, h: 3 },
        { id: 'temp1', node: 'temp1', title: { zh: '1 号机料筒温度', en: 'Machine 1 barrel' }, x: 5, y: 0, w: 3, h: 3 },
        { id: 'parts', node: 'parts', title: { zh: '1 号机本班产量', en: 'Machine 1 output' }, x: 8, y: 0, w: 4, h: 3 },
        { id: 'timeline', node: 'timeline', title: { zh: '状态时间线', en: 'State timeline' }, x: 0, y: 3, w: 7, h: 3 },
        { id: 'alarms', node: 'alarms', title: { zh: '报警', en: 'Alarms' }, x: 7, y: 3, w: 5, h: 5 },
        { id: 'note', node: 'note', title: { zh: '班组提示', en: 'Shift note' }, x: 0, y: 6, w: 7, h: 2 },
      ],
    },
    {
      scenario: 'output', title: { zh: '产量与能耗', en: 'Output and energy' }, columns: 12,
      report: { energy: { tag: 'energy' } },
      widgets: [
        { id: 'temps', node: 'temps', title: { zh: '料筒温度趋势', en: 'Barrel temperatures' }, x: 0, y: 0, w: 8, h: 4 },
        { id: 'energy', node: 'energy', title: { zh: '1 号机电表', en: 'Machine 1 meter' }, x: 8, y: 0, w: 4, h: 2 },
        { id: 'per-device', node: 'per-device', title: { zh: '各机产量', en: 'Output per machine' }, x: 8, y: 2, w: 4, h: 2 },
        { id: 'oee-bars', node: 'oee-bars', title: { zh: 'OEE 三要素', en: 'OEE factors' }, x: 0, y: 4, w: 6, h: 4 },
        { id: 'latest', node: 'latest', title: { zh: '最新读数', en: 'Latest readings' }, x: 6, y: 4, w: 6, h: 4 },
      ],
    },
  ];
}
