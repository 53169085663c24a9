import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';

export const AGGREGATE_FUNCTIONS = ['avg', 'min', 'max', 'count', 'sum', 'first', 'last', 'rate'] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

const DAY_MS = 86_400_000;

const sizeMs = field(z.number().int().min(100).max(31 * DAY_MS).default(60_000), {
  label: { zh: '窗口长度', en: 'Window size' },
  unit: 'ms',
  widget: 'duration',
});

const tumbling = field(z.object({
  kind: z.literal('tumbling').default('tumbling'),
  sizeMs,
}), {
  label: { zh: '滚动窗口', en: 'Tumbling window' },
  help: {
    zh: '首尾相接、互不重叠的窗口，按消息时间对齐到窗口长度的整数倍（自 UTC 1970 年起算）',
    en: 'Back-to-back windows that do not overlap, aligned to multiples of the size on message time (counted from 1970 UTC)',
  },
});

const sliding = field(z.object({
  kind: z.literal('sliding'),
  sizeMs,
  stepMs: field(z.number().int().min(100).max(31 * DAY_MS).default(10_000), {
    label: { zh: '输出间隔', en: 'Step' },
    help: { zh: '每隔多久对最近一个窗口长度的数据输出一次；不大于窗口长度', en: 'How often the latest window is emitted; at most the window size' },
    unit: 'ms',
    widget: 'duration',
  }),
}).superRefine((w, ctx) => {
  if (w.stepMs > w.sizeMs) {
    ctx.addIssue({
      code: 'custom',
      path: ['stepMs'],
      message: `the step (${w.stepMs} ms) must not exceed the window size (${w.sizeMs} ms)`,
      params: { zh: `输出间隔（${w.stepMs} ms）不能大于窗口长度（${w.sizeMs} ms）` },
    });
  }
}), {
  label: { zh: '滑动窗口', en: 'Sliding window' },
  help: { zh: '每个输出间隔输出一次最近一个窗口长度内的统计', en: 'Every step, the statistics of the last window size' },
});

export const aggregateConfig = z.object({
  property: field(z.string().default('payload').refine((p) => p.length > 0 && p.split('.').every((part) => part.length > 0), {
    message: 'a property path such as payload or payload.temp',
    params: { zh: '须为属性路径，如 payload 或 payload.temp' },
  }), {
    label: { zh: '数值属性', en: 'Value property' },
    help: { zh: '消息中数值所在的属性路径', en: 'Where the number is in the message' },
    widget: 'property-path',
  }),
  functions: field(z.array(z.enum(AGGREGATE_FUNCTIONS)).min(1).default(['avg', 'min', 'max', 'count']).refine((f) => new Set(f).size === f.length, {
    message: 'each function at most once',
    params: { zh: '每个统计函数只能选一次' },
  }), {
    label: { zh: '统计函数', en: 'Functions' },
    help: {
      zh: 'avg 平均、min 最小、max 最大、count 个数、sum 总和、first 首值、last 末值、rate 计数器增速',
      en: 'avg, min, max, count, sum, first, last, rate (increase of a counter)',
    },
  }),
  window: field(z.discriminatedUnion('kind', [tumbling, sliding]).default({ kind: 'tumbling', sizeMs: 60_000 }), {
    label: { zh: '窗口', en: 'Window' },
  }),
  rateUnit: field(z.enum(['s', 'min', 'h']).default('min'), {
    label: { zh: '增速单位', en: 'Rate unit' },
    help: { zh: 'rate 为每秒、每分钟或每小时的增量', en: 'rate is the increase per second, minute or hour' },
  }),
  emitEmpty: field(z.boolean().default(false), {
    label: { zh: '输出空窗口', en: 'Emit empty windows' },
    help: { zh: '已出现过的设备在窗口内没有数据时也输出（count 为 0）', en: 'Also emit for a known device when its window has no data (count 0)' },
  }),
  graceMs: field(z.number().int().min(0).max(DAY_MS).default(0), {
    label: { zh: '迟到容忍', en: 'Grace period' },
    help: { zh: '窗口结束后再等待多久才输出，期间到达的迟到消息仍计入', en: 'How long after its end a window waits for late messages before it is emitted' },
    unit: 'ms',
    widget: 'duration',
    advanced: true,
  }),
  maxKeys: field(z.number().int().min(1).max(1_000_000).default(10_000), {
    label: { zh: '最多设备数', en: 'Max devices' },
    help: { zh: '同时统计的设备数上限；超出后新设备的消息被丢弃并计数', en: 'Devices tracked at once; messages of further devices are dropped and counted' },
    advanced: true,
  }),
  maxSamples: field(z.number().int().min(1).max(10_000_000).default(100_000), {
    label: { zh: '每设备样本上限', en: 'Max samples per device' },
    help: { zh: '滑动窗口每个设备保留的样本数上限；超出后新样本被丢弃并计数', en: 'Samples a sliding window keeps per device; further samples are dropped and counted' },
    advanced: true,
  }),
});
export type AggregateConfig = z.infer<typeof aggregateConfig>;

export const aggregateDefinition: NodeDefinition<AggregateConfig> & { config: typeof aggregateConfig } = {
  type: 'aggregate',
  version: 1,
  category: 'data',
  icon: 'Σ',
  title: { zh: '窗口统计', en: 'Aggregate' },
  summary: {
    zh: '按设备在时间窗口内计算平均、最值、个数、总和、首末值和计数器增速',
    en: 'Per device, computes avg, min, max, count, sum, first, last and counter rate over time windows',
  },
  inputs: [port('in', '输入', 'in')],
  outputs: [port('out', '输出', 'out')],
  config: aggregateConfig,
};
