import { field, port, z } from '../../sdk';
import type { NodeDefinition } from '../../sdk';
import { HHMM, cronProblem, isTimeZone } from './schedule';

const timezone = field(z.string().default('Asia/Shanghai').superRefine((tz, ctx) => {
  if (!isTimeZone(tz)) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown time zone "${tz}"; use an IANA name such as Asia/Shanghai`,
      params: { zh: `未知的时区 “${tz}”，请使用 IANA 时区名，如 Asia/Shanghai` },
    });
  }
}), {
  label: { zh: '时区', en: 'Time zone' },
  help: { zh: 'IANA 时区名，如 Asia/Shanghai', en: 'IANA time zone name, e.g. Asia/Shanghai' },
});

const topic = field(z.string().max(200).default(''), {
  label: { zh: '主题', en: 'Topic' },
});

const payload = field(z.json().optional(), {
  label: { zh: '消息内容', en: 'Payload' },
  help: { zh: '任意 JSON；留空则为触发时刻（毫秒时间戳）', en: 'Any JSON; empty: the firing time (ms since epoch)' },
  widget: 'json',
});

const intervalMode = field(z.object({
  mode: z.literal('interval').default('interval'),
  intervalMs: field(z.number().int().min(10).max(31 * 86_400_000).default(1000), {
    label: { zh: '间隔', en: 'Interval' },
    unit: 'ms',
    widget: 'duration',
  }),
  align: field(z.boolean().default(false), {
    label: { zh: '对齐整点', en: 'Align to the clock' },
    help: {
      zh: '在间隔的整数倍时刻触发（如每 15 分钟的 :00 :15 :30 :45）；按 UTC 起算，按天的时刻请用 cron',
      en: 'Fire on multiples of the interval (e.g. :00 :15 :30 :45 for 15 min); counted from UTC, use cron for times of day',
    },
  }),
  fireAtStart: field(z.boolean().default(false), {
    label: { zh: '启动时立即触发', en: 'Fire at start' },
  }),
  topic,
  payload,
}), { label: { zh: '固定间隔', en: 'Fixed interval' } });

const cronMode = field(z.object({
  mode: z.literal('cron'),
  cron: field(z.string().superRefine((pattern, ctx) => {
    const why = cronProblem(pattern);
    if (why !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `invalid cron expression "${pattern}": ${why}`,
        params: { zh: `cron 表达式 “${pattern}” 无效：${why}` },
      });
    }
  }), {
    label: { zh: 'cron 表达式', en: 'Cron expression' },
    help: {
      zh: '5 段（分 时 日 月 周）或 6 段（秒 分 时 日 月 周），如 */15 * * * * 为每 15 分钟',
      en: '5 fields (minute hour day month weekday) or 6 (second first), e.g. */15 * * * * every 15 minutes',
    },
    widget: 'schedule',
  }),
  timezone,
  topic,
  payload,
}), { label: { zh: '定时（cron）', en: 'Schedule (cron)' } });

const shift = z.object({
  name: field(z.string().trim().min(1).max(32), { label: { zh: '班次名称', en: 'Shift name' } }),
  start: field(z.string().refine((s) => HHMM.test(s), {
    message: 'a time of day as HH:MM, e.g. 08:00',
    params: { zh: '须为 HH:MM 格式的时刻，如 08:00' },
  }), {
    label: { zh: '开始时刻', en: 'Starts at' },
    help: { zh: 'HH:MM，24 小时制', en: 'HH:MM, 24-hour clock' },
  }),
});

const shiftsMode = field(z.object({
  mode: z.literal('shifts'),
  shifts: field(z.array(shift).min(1).max(24).default([
    { name: '早班', start: '08:00' },
    { name: '中班', start: '16:00' },
    { name: '夜班', start: '00:00' },
  ]).superRefine((list, ctx) => {
    const starts = new Map<string, number>();
    const names = new Map<string, number>();
    list.forEach((s, i) => {
      const sameStart = starts.get(s.start);
      if (sameStart !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'start'],
          message: `shift "${s.name}" starts at ${s.start}, like shift ${sameStart + 1}`,
          params: { zh: `班次 “${s.name}” 的开始时刻 ${s.start} 与第 ${sameStart + 1} 个班次相同` },
        });
      } else starts.set(s.start, i);
      const sameName = names.get(s.name);
      if (sameName !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `shift name "${s.name}" is already used by shift ${sameName + 1}`,
          params: { zh: `班次名称 “${s.name}” 与第 ${sameName + 1} 个班次重复` },
        });
      } else names.set(s.name, i);
    });
  }), {
    label: { zh: '班次', en: 'Shifts' },
    help: {
      zh: '每个班次到下一个班次开始时结束；最晚开始的班次跨过午夜',
      en: 'Each shift ends when the next one starts; the latest one runs across midnight',
    },
  }),
  days: field(z.array(z.number().int().min(1).max(7)).min(1).max(7).optional().refine((d) => d === undefined || new Set(d).size === d.length, {
    message: 'each weekday at most once',
    params: { zh: '每个星期几只能出现一次' },
  }), {
    label: { zh: '工作日', en: 'Working days' },
    help: { zh: '班次开始的星期几（1 = 周一 … 7 = 周日）；留空为每天', en: 'Weekdays on which shifts start (1 = Monday … 7 = Sunday); empty: every day' },
  }),
  timezone,
}), { label: { zh: '班次', en: 'Shifts' } });

export const timerConfig = field(z.discriminatedUnion('mode', [intervalMode, cronMode, shiftsMode]).default({
  mode: 'interval',
  intervalMs: 1000,
  align: false,
  fireAtStart: false,
  topic: '',
}), {
  label: { zh: '触发方式', en: 'Trigger' },
});
export type TimerConfig = z.infer<typeof timerConfig>;

export const timerDefinition: NodeDefinition<TimerConfig> & { config: typeof timerConfig } = {
  type: 'timer',
  version: 1,
  category: 'input',
  icon: '◷',
  title: { zh: '定时器', en: 'Timer' },
  summary: {
    zh: '按固定间隔、cron 表达式或工厂班次发出消息',
    en: 'Sends a message at a fixed interval, on a cron schedule, or at each factory shift start',
  },
  inputs: [],
  outputs: [port('out', '输出', 'out')],
  config: timerConfig,
};
