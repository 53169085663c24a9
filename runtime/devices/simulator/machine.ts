/**
 * A simulated machine: a state that cycles through running, idle and fault with plausible
 * durations, and tags that follow it as the profile's simulation hints say (counters grow with
 * production, temperatures approach their level with lag, noise and drift, energy integrates
 * load). Time advances in fixed steps drawn from one seeded generator, so the same seed gives
 * the same machine, whatever the timing of the reads.
 *
 * Scenario tests and drills can take the wheel: `force` holds the machine in a state (a fault
 * with a given code, a long stop) until `release`, and `hold` makes a register show a given value
 * while the model goes on underneath (a mould temperature stuck at 97 °C).
 */
import type { DeviceProfile, MachineState, ResolvedTag, SimHint } from '../../model/device-profile';
import type { NumericType } from '../codec';
import { decodeNumber, decodeString, encodeNumber, encodeString, rawRange, toEngineering, toRaw, decimalsOf } from '../codec';
import type { RegisterBank } from './register-bank';

/** mulberry32: small, fast, good enough for plausible noise, and reproducible. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a run seed and a device index into a device seed. */
export function deviceSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const DEFAULT_DURATIONS: Record<MachineState, readonly [number, number]> = {
  running: [300, 1800],
  idle: [60, 600],
  fault: [60, 900],
};

const UNIT_SECONDS = { s: 1, min: 60, h: 3600 } as const;

interface SimTag {
  readonly r: ResolvedTag;
  readonly hint: SimHint | undefined;
  value: number | boolean | string;
  /** Accumulators keep fractions that the register cannot. */
  acc: number;
  /** Analog: the lagged level without noise and drift. */
  level: number;
  /** Written by a client: a set value the machine no longer drives. */
  held: boolean;
  /** Held by a script: what the register shows instead of the model's value, for a while. */
  override: number | boolean | string | undefined;
  readonly phase: number;
}

/** A state the machine is held in. */
interface Forced {
  readonly state: MachineState;
}

export class Machine {
  state: MachineState = 'running';
  elapsedS = 0;
  private remainingS: number;
  private readonly rng: () => number;
  private readonly tags: SimTag[];
  private readonly byKey = new Map<string, SimTag>();
  private readonly durations: Record<MachineState, readonly [number, number]>;
  private readonly faultRate: number;
  private spare: number | undefined;
  private forced: Forced | undefined;

  constructor(readonly profile: DeviceProfile, tags: readonly ResolvedTag[], private readonly bank: RegisterBank, seed: number) {
    this.rng = createRng(seed);
    const sim = profile.simulation;
    this.durations = { ...DEFAULT_DURATIONS, ...sim?.durations };
    this.faultRate = sim?.faultRate ?? 0.15;
    // Machines of one run start at different points of their first running period.
    this.remainingS = this.draw('running') * (0.2 + 0.8 * this.rng());
    this.tags = tags.map((r) => {
      const hint = sim?.tags[r.tag.key];
      const t: SimTag = { r, hint, value: this.initial(r, hint), acc: 0, level: 0, held: false, override: undefined, phase: this.rng() * 2 * Math.PI };
      if (hint?.kind === 'counter' || hint?.kind === 'integral' || hint?.kind === 'time-in-state') t.acc = hint.start ?? 0;
      if (hint?.kind === 'analog') t.level = hint.levels.running;
      this.byKey.set(r.tag.key, t);
      return t;
    });
    this.update(0);
    for (const t of this.tags) this.store(t);
  }

  private draw(state: MachineState): number {
    const [lo, hi] = this.durations[state];
    return lo + (hi - lo) * this.rng();
  }

  private gaussian(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u = Math.max(1e-12, this.rng());
    const v = this.rng();
    const m = Math.sqrt(-2 * Math.log(u));
    this.spare = m * Math.sin(2 * Math.PI * v);
    return m * Math.cos(2 * Math.PI * v);
  }

  private initial(r: ResolvedTag, hint: SimHint | undefined): number | boolean | string {
    const t = r.tag;
    if (hint?.kind === 'constant') return hint.value;
    if (t.type === 'bool') return false;
    if (t.type === 'string') return '';
    if (t.min !== undefined && t.max !== undefined) {
      const mid = (t.min + t.max) / 2;
      return t.type.startsWith('float') ? mid : Math.round(mid);
    }
    return t.min ?? 0;
  }

  /** Advances the machine by `dtS` seconds and writes every changed tag to the registers. */
  step(dtS: number): void {
    this.elapsedS += dtS;
    // Held by a script (force), the machine's own cycle waits until it is released.
    if (!this.forced) {
      this.remainingS -= dtS;
      if (this.remainingS <= 0) {
        const from = this.state;
        this.enter(from === 'running' ? (this.rng() < this.faultRate ? 'fault' : 'idle') : from === 'fault' ? 'idle' : 'running');
      }
    }
    this.update(dtS);
    for (const t of this.tags) if (t.hint !== undefined && t.hint.kind !== 'constant' && !t.held) this.store(t);
  }

  /** A new period of `to`: its length drawn, stop counters and fault codes updated. */
  private enter(to: MachineState, faultCode?: number): void {
    this.state = to;
    this.remainingS = this.draw(to);
    for (const t of this.tags) {
      if (t.hint?.kind === 'entries' && t.hint.state === to) t.acc++;
      if (t.hint?.kind === 'fault-code') t.acc = to === 'fault' ? faultCode ?? t.hint.codes[Math.floor(this.rng() * t.hint.codes.length)]! : 0;
    }
  }

  /**
   * Holds the machine in `state` from now until {@link release}: its own cycle of running, idle
   * and fault pauses. In a forced fault, fault-code tags show `faultCode` (default:
   * one of the profile's codes, as a fault of its own would).
   */
  force(state: MachineState, options: { faultCode?: number } = {}): void {
    this.forced = { state };
    if (this.state !== state) this.enter(state, options.faultCode);
    else if (state === 'fault' && options.faultCode !== undefined) {
      // A new code for a fault already under way shows as a new fault's would.
      for (const t of this.tags) if (t.hint?.kind === 'fault-code') t.acc = options.faultCode;
    }
    this.refresh();
  }

  /** Lets the machine go on by itself, starting a fresh period of `then` (default: running). */
  release(then: MachineState = 'running'): void {
    if (!this.forced) return;
    this.forced = undefined;
    if (this.state !== then) this.enter(then);
    else this.remainingS = this.draw(then);
    this.refresh();
  }

  /** Shows a state change in the registers now rather than at the next step. */
  private refresh(): void {
    this.update(0);
    for (const t of this.tags) if (t.hint !== undefined && t.hint.kind !== 'constant' && !t.held) this.store(t);
  }

  /**
   * Makes a tag's register show `value` until {@link unhold}, whatever the model does meanwhile
   * (it goes on underneath: a counter held still has counted on when let go). Throws for a tag
   * the profile does not have.
   */
  hold(key: string, value: number | boolean | string): void {
    const t = this.byKey.get(key);
    if (!t) throw new Error(`the machine has no tag "${key}"`);
    t.override = value;
    this.store(t);
  }

  unhold(key: string): void {
    const t = this.byKey.get(key);
    if (!t || t.override === undefined) return;
    t.override = undefined;
    this.store(t);
  }

  private update(dtS: number): void {
    const running = this.state === 'running';
    // Integrals last: they read the values of this step.
    for (const pass of [0, 1]) {
      for (const t of this.tags) {
        const h = t.hint;
        if (!h || t.held || (h.kind === 'integral') !== (pass === 1)) continue;
        const { min, max } = t.r.tag;
        switch (h.kind) {
          case 'state':
            t.value = h.codes[this.state];
            break;
          case 'counter':
            if (running) t.acc += (h.perMinute / 60) * dtS * (0.9 + 0.2 * this.rng());
            // Whole counts of the register's resolution (0.01 m for a length in cm).
            t.value = Math.floor(t.acc / t.r.scale + 1e-9) * t.r.scale;
            break;
          case 'analog': {
            const target = h.levels[this.state];
            t.level = h.tauS <= 0 ? target : t.level + (target - t.level) * (1 - Math.exp(-dtS / h.tauS));
            let v = t.level + h.drift * Math.sin((2 * Math.PI * this.elapsedS) / 1800 + t.phase) + h.noise * this.gaussian();
            if (min !== undefined) v = Math.max(min, v);
            if (max !== undefined) v = Math.min(max, v);
            t.value = v;
            break;
          }
          case 'integral': {
            const src = this.byKey.get(h.of);
            // What the source register shows: a held power reading is what the energy counts.
            const shown = src?.override ?? src?.value;
            const x = typeof shown === 'number' ? shown : 0;
            t.acc += Math.max(0, x) * dtS * h.factor;
            t.value = t.acc;
            break;
          }
          case 'time-in-state':
            if (this.state === h.state) t.acc += dtS / UNIT_SECONDS[h.unit];
            t.value = t.acc;
            break;
          case 'entries':
          case 'fault-code':
            t.value = t.acc;
            break;
          case 'flag':
            t.value = h.states.includes(this.state);
            break;
          case 'constant':
            break;
        }
      }
    }
  }

  /** Writes a tag's value into the bank in its profile encoding. */
  private store(t: SimTag): void {
    const r = t.r;
    const tag = r.tag;
    const bank = this.bank;
    const value = t.override ?? t.value;
    if (tag.area === 'coil' || tag.area === 'discrete') {
      bank.bits(tag.area)[r.start] = value === true || value === 1 ? 1 : 0;
      return;
    }
    const regs = bank.registers(tag.area);
    if (tag.type === 'bool') {
      const bit = 1 << tag.bit!;
      const on = value === true || value === 1;
      regs[r.start] = on ? regs[r.start]! | bit : regs[r.start]! & ~bit;
      return;
    }
    const bytes = new Uint8Array(2 * r.width);
    if (tag.type === 'string') {
      const text = String(value).slice(0, tag.length);
      const encoding = tag.encoding ?? this.profile.defaults.stringEncoding;
      try {
        // GBK cannot be encoded here; simulated texts are ASCII, which GBK shares.
        encodeString(text, tag.length!, r.byteOrder, encoding === 'gbk' ? 'utf8' : encoding, bytes, 0);
      } catch {
        // Not encodable: leave it empty.
      }
    } else {
      const type = tag.type as NumericType;
      let raw = toRaw(typeof value === 'number' ? value : Number(value) || 0, type, r.scale, r.offset);
      const [lo, hi] = rawRange(type);
      if (type !== 'float32' && type !== 'float64') {
        // Counters wrap like the real register; anything else stays at its limit.
        if (t.hint?.kind === 'counter' || t.hint?.kind === 'entries') raw = lo + (((raw - lo) % (hi - lo + 1)) + (hi - lo + 1)) % (hi - lo + 1);
        else raw = Math.min(hi, Math.max(lo, raw));
      }
      encodeNumber(type, r.byteOrder, raw, bytes, 0);
    }
    bank.setBytes(tag.area, r.start, bytes);
  }

  /** A client wrote registers: tags in that range take the written value (a setpoint, a counter reset). */
  noteWrite(area: string, start: number, count: number): void {
    for (const t of this.tags) {
      const r = t.r;
      if (r.tag.area !== area || r.start + r.width <= start || r.start >= start + count) continue;
      const tag = r.tag;
      if (area === 'coil') t.value = this.bank.coils[r.start] === 1;
      else if (tag.type === 'bool') t.value = ((this.bank.holding[r.start]! >> tag.bit!) & 1) === 1;
      else {
        const bytes = this.bank.getBytes('holding', r.start, r.width);
        if (tag.type === 'string') t.value = decodeString(bytes, 0, tag.length!, r.byteOrder, 'utf8');
        else {
          const raw = decodeNumber(tag.type as NumericType, r.byteOrder, bytes, 0);
          t.value = toEngineering(raw.value, tag.type as NumericType, r.scale, r.offset, Math.max(decimalsOf(r.scale), decimalsOf(r.offset)));
        }
      }
      if (typeof t.value === 'number') {
        t.acc = t.value;
        t.level = t.value;
      }
      // Accumulators go on from the written value (a counter reset); anything else keeps it.
      const kind = t.hint?.kind;
      t.held = kind !== 'counter' && kind !== 'integral' && kind !== 'time-in-state' && kind !== 'entries';
    }
  }

  /** What the tag's register shows (a held value while it is held). */
  value(key: string): number | boolean | string | undefined {
    const t = this.byKey.get(key);
    return t?.override ?? t?.value;
  }
}
