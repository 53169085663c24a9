import { defineNode, readPath } from '../../sdk';
import type { Clock, Message } from '../../sdk';
import { aggregateDefinition } from './definition';
import type { AggregateConfig } from './definition';

const UNIT_MS = { s: 1_000, min: 60_000, h: 3_600_000 } as const;

/**
 * Node's setTimeout fires at once when asked to wait more than ~24.8 days; long waits are
 * taken in steps and re-checked against the clock.
 */
const MAX_WAIT_MS = 86_400_000;

type Quality = Message['quality'];

/** Runs `fn` once the clock reads `due` or later. */
function dueTimer(clock: Clock) {
  let handle: unknown;
  const set = (due: number, fn: () => void): void => {
    handle = clock.setTimeout(() => {
      handle = undefined;
      if (clock.now() < due) set(due, fn);
      else fn();
    }, Math.min(Math.max(0, due - clock.now()), MAX_WAIT_MS));
  };
  return {
    set,
    clear() {
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
    },
  };
}

/**
 * Running statistics of one device in one window. Constant memory, so a tumbling window of a
 * fast device costs no more than one of a slow one.
 */
class Stats {
  count = 0;
  bad = 0;
  allGood = true;
  topic = '';
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;
  private firstTs = Infinity;
  private first = 0;
  private lastTs = -Infinity;
  private last = 0;
  private rateFirstTs = 0;
  private rateLastTs = -Infinity;
  private rateLast = 0;
  private increase = 0;

  addBad(topic: string): void {
    this.bad++;
    this.allGood = false;
    this.topic = topic;
  }

  add(ts: number, value: number, quality: Quality, topic: string): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (ts < this.firstTs) {
      this.firstTs = ts;
      this.first = value;
    }
    if (ts >= this.lastTs) {
      this.lastTs = ts;
      this.last = value;
    }
    if (quality !== 'good') this.allGood = false;
    this.topic = topic;
    // The increase is summed pair by pair in time order; a sample older than the newest one
    // seen cannot be placed between its neighbours any more and is left out of the rate.
    if (ts >= this.rateLastTs) {
      if (this.rateLastTs === -Infinity) this.rateFirstTs = ts;
      // A drop means the counter restarted from zero, so all of the new value is increase.
      else this.increase += value >= this.rateLast ? value - this.rateLast : value;
      this.rateLastTs = ts;
      this.rateLast = value;
    }
  }

  quality(): Quality {
    // No sample at all is no evidence of good data.
    return this.allGood && this.count + this.bad > 0 ? 'good' : 'uncertain';
  }

  payload(start: number, end: number, config: AggregateConfig): Record<string, unknown> {
    const out: Record<string, unknown> = { start, end, count: this.count, bad: this.bad };
    const some = this.count > 0;
    for (const f of config.functions) {
      switch (f) {
        case 'avg': out.avg = some ? this.sum / this.count : null; break;
        case 'min': out.min = some ? this.min : null; break;
        case 'max': out.max = some ? this.max : null; break;
        case 'sum': out.sum = this.sum; break;
        case 'first': out.first = some ? this.first : null; break;
        case 'last': out.last = some ? this.last : null; break;
        case 'rate': out.rate = this.rateLastTs > this.rateFirstTs ? this.increase / ((this.rateLastTs - this.rateFirstTs) / UNIT_MS[config.rateUnit]) : null; break;
        case 'count': break;
      }
    }
    return out;
  }
}

interface Device {
  readonly device: string | undefined;
  /** Topic of the latest message, for windows that have none of their own. */
  topic: string;
  /** Tumbling windows holding data of this device. */
  open: number;
}

interface Sample {
  readonly ts: number;
  readonly value: number;
  readonly quality: Quality;
}

export const aggregate = defineNode(aggregateDefinition, (config, ctx) => {
  const { sizeMs } = config.window;
  const counters = { late: 0, droppedKeys: 0, droppedSamples: 0, invalid: 0 };
  let shownCounters = '';
  const devices = new Map<string, Device>();

  const refreshStatus = () => {
    const key = `${counters.late}/${counters.droppedKeys}/${counters.droppedSamples}`;
    if (key === shownCounters) return;
    shownCounters = key;
    const zh: string[] = [];
    const en: string[] = [];
    if (counters.late > 0) {
      zh.push(`迟到丢弃 ${counters.late} 条`);
      en.push(`late messages dropped: ${counters.late}`);
    }
    if (counters.droppedKeys > 0) {
      zh.push(`设备数超过上限 ${config.maxKeys}，丢弃 ${counters.droppedKeys} 条`);
      en.push(`over the limit of ${config.maxKeys} devices, dropped: ${counters.droppedKeys}`);
    }
    if (counters.droppedSamples > 0) {
      zh.push(`样本数超过上限 ${config.maxSamples}，丢弃 ${counters.droppedSamples} 条`);
      en.push(`over the limit of ${config.maxSamples} samples, dropped: ${counters.droppedSamples}`);
    }
    if (zh.length > 0) ctx.status('warning', `${zh.join('，')} / ${en.join(', ')}`);
  };

  /** The device a message counts for, or undefined when the device limit keeps it out. */
  const deviceOf = (key: string, msg: Message): Device | undefined => {
    let d = devices.get(key);
    if (!d) {
      if (devices.size >= config.maxKeys) {
        if (counters.droppedKeys++ === 0) ctx.log.warn('device limit reached; messages of further devices are dropped', { maxKeys: config.maxKeys });
        return undefined;
      }
      d = { device: msg.device, topic: msg.topic, open: 0 };
      devices.set(key, d);
    }
    d.topic = msg.topic;
    return d;
  };

  /** The number to aggregate, or undefined after reporting why the message has none. */
  const valueOf = (msg: Message): number | undefined => {
    const value = readPath(msg, config.property);
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    counters.invalid++;
    const shown = value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
    ctx.reportError(new Error(`属性 “${config.property}” 不是有限数值：${shown} / property "${config.property}" is not a finite number: ${shown}`), msg);
    return undefined;
  };

  const output = (key: string, d: Device, stats: Stats, start: number, end: number): Message => ctx.message({
    ts: end,
    topic: stats.count + stats.bad > 0 ? stats.topic : d.topic,
    device: key === '' ? undefined : d.device,
    quality: stats.quality(),
    payload: stats.payload(start, end, config),
  });

  const core = config.window.kind === 'tumbling' ? tumblingWindows() : slidingWindows(config.window.stepMs);

  function tumblingWindows() {
    interface Window {
      readonly start: number;
      readonly timer: ReturnType<typeof dueTimer>;
      readonly byKey: Map<string, Stats>;
    }
    const windows = new Map<number, Window>();

    const open = (start: number): Window => {
      let w = windows.get(start);
      if (!w) {
        w = { start, timer: dueTimer(ctx.clock), byKey: new Map() };
        windows.set(start, w);
        const opened = w;
        w.timer.set(start + sizeMs + config.graceMs, () => close(opened));
      }
      return w;
    };

    const close = (w: Window) => {
      windows.delete(w.start);
      const end = w.start + sizeMs;
      const out: Message[] = [];
      for (const key of config.emitEmpty ? devices.keys() : w.byKey.keys()) {
        out.push(output(key, devices.get(key)!, w.byKey.get(key) ?? new Stats(), w.start, end));
      }
      if (config.emitEmpty) {
        if (devices.size > 0) {
          // Keep the chain of windows going; after a stall, resume at the current window.
          open(Math.max(end, Math.floor((ctx.clock.now() - config.graceMs) / sizeMs) * sizeMs));
        }
      } else {
        for (const key of w.byKey.keys()) {
          const d = devices.get(key)!;
          if (--d.open === 0) devices.delete(key);
        }
      }
      if (out.length > 0) ctx.send('out', out);
    };

    return {
      add(msg: Message, key: string, value: number | undefined) {
        const start = Math.floor(msg.ts / sizeMs) * sizeMs;
        if (start + sizeMs + config.graceMs <= ctx.clock.now()) {
          counters.late++;
          return;
        }
        const d = deviceOf(key, msg);
        if (!d) return;
        const w = open(start);
        let stats = w.byKey.get(key);
        if (!stats) {
          w.byKey.set(key, (stats = new Stats()));
          d.open++;
        }
        if (value === undefined) stats.addBad(msg.topic);
        else stats.add(msg.ts, value, msg.quality, msg.topic);
      },
      stop() {
        for (const w of windows.values()) w.timer.clear();
        windows.clear();
      },
      inspect: () => ({ windows: windows.size }),
    };
  }

  function slidingWindows(stepMs: number) {
    interface Series {
      samples: Sample[];
      /** Samples before this index have left every future window. */
      head: number;
    }
    const series = new Map<string, Series>();
    const timer = dueTimer(ctx.clock);
    /** End of the next window to emit; windows end on multiples of the step. */
    let nextEnd = 0;

    const arm = (now: number) => {
      nextEnd = Math.floor((now - config.graceMs) / stepMs) * stepMs + stepMs;
      timer.set(nextEnd + config.graceMs, tick);
    };

    const tick = () => {
      const end = nextEnd;
      const start = end - sizeMs;
      const out: Message[] = [];
      for (const [key, d] of devices) {
        const s = series.get(key)!;
        while (s.head < s.samples.length && s.samples[s.head]!.ts <= start) s.head++;
        if (s.head > 1024 && s.head * 2 > s.samples.length) {
          s.samples = s.samples.slice(s.head);
          s.head = 0;
        }
        const stats = new Stats();
        for (let i = s.head; i < s.samples.length && s.samples[i]!.ts <= end; i++) {
          const x = s.samples[i]!;
          if (Number.isNaN(x.value)) stats.addBad(d.topic);
          else stats.add(x.ts, x.value, x.quality, d.topic);
        }
        if (stats.count + stats.bad > 0 || config.emitEmpty) out.push(output(key, d, stats, start, end));
        if (s.head === s.samples.length && !config.emitEmpty) {
          series.delete(key);
          devices.delete(key);
        }
      }
      // Every step normally; after a stall, straight to the latest complete window.
      const now = ctx.clock.now();
      nextEnd = Math.max(end + stepMs, Math.floor((now - config.graceMs) / stepMs) * stepMs);
      timer.set(nextEnd + config.graceMs, tick);
      if (out.length > 0) ctx.send('out', out);
    };

    return {
      start() {
        arm(ctx.clock.now());
      },
      add(msg: Message, key: string, value: number | undefined) {
        if (msg.ts <= nextEnd - sizeMs) {
          counters.late++;
          return;
        }
        const d = deviceOf(key, msg);
        if (!d) return;
        let s = series.get(key);
        if (!s) series.set(key, (s = { samples: [], head: 0 }));
        if (s.samples.length - s.head >= config.maxSamples) {
          counters.droppedSamples++;
          return;
        }
        // Bad samples carry NaN: they are counted as bad, never in the statistics.
        const sample: Sample = { ts: msg.ts, value: value ?? NaN, quality: msg.quality };
        let i = s.samples.length;
        while (i > s.head && s.samples[i - 1]!.ts > msg.ts) i--;
        if (i === s.samples.length) s.samples.push(sample);
        else s.samples.splice(i, 0, sample);
      },
      stop() {
        timer.clear();
        series.clear();
      },
      inspect: () => ({ nextEnd, samples: [...series.values()].reduce((n, s) => n + s.samples.length - s.head, 0) }),
    };
  }

  const handle = (msg: Message) => {
    const key = msg.device ?? '';
    if (!Number.isFinite(msg.ts)) {
      counters.invalid++;
      ctx.reportError(new Error(`消息时间 ts 不是有限数值：${String(msg.ts)} / message time ts is not a finite number: ${String(msg.ts)}`), msg);
      return;
    }
    // A bad reading is counted, whatever its value: it never enters the statistics.
    if (msg.quality === 'bad') return core.add(msg, key, undefined);
    const value = valueOf(msg);
    if (value !== undefined) core.add(msg, key, value);
  };

  return {
    start() {
      if ('start' in core) core.start();
    },
    onBatch(msgs: readonly Message[]) {
      for (const msg of msgs) handle(msg);
      refreshStatus();
    },
    stop() {
      core.stop();
      devices.clear();
    },
    inspect() {
      return { devices: devices.size, ...core.inspect(), ...counters };
    },
  };
});
