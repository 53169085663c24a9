/**
 * One polled device: its values with quality, its health, its poll groups and who listens.
 * The line (line.ts) decides when requests go out; this file decides what their outcomes mean.
 *
 * Quality of a value: `good` after a successful read; after `staleAfterMissed` missed polls the
 * last value is kept but marked `uncertain` (stale); after `badAfterMissed`, or at once when the
 * device refuses the read (exception), when its line is down or while it is degraded, the value
 * is dropped (null, `bad`). A wrong value is never kept as good: answers are checked for size
 * before any tag is decoded, and non-finite numbers become `bad`.
 *
 * Health: `online` when the last round read every block; `degraded` when some blocks failed
 * or the device answered with exceptions, or fewer than `offlineAfterFailed` rounds in a row
 * got nothing; `offline` after that many, when its line is down, or while it is only probed.
 */
import type { DeviceHealth, DeviceHealthChange, DeviceUpdate, DeviceValue } from '../../nodes/sdk';
import type { Quality } from '../model/message';
import type { Text } from '../model/text';
import type { CompiledBlock, CompiledDevice, Decoded, PollGroup } from './compile';
import { decodeRegisterTag, planGroups } from './compile';
import type { ModbusError } from './modbus-client';
import type { DeviceSettings } from './settings';
import { backoffDelay } from './settings';

export interface GroupState {
  readonly group: PollGroup;
  readonly index: number;
  /** performance.now() when the next round is due. */
  nextDue: number;
  /** Blocks of the current round still outstanding. */
  pending: number;
  /** The current round: blocks that succeeded and the first error. */
  succeeded: number;
  failed: number;
  answered: boolean;
  error: ModbusError | undefined;
  /** Which tags a round of this group refreshes (shared by every update). */
  readonly fresh: readonly boolean[];
}

export interface DeviceStats {
  rounds: number;
  /** Rounds due while the previous one was still waiting for the line. */
  skipped: number;
  requests: number;
  failures: number;
  timeouts: number;
  exceptions: number;
  protocolErrors: number;
  lastError: Text | undefined;
  /** Mean answer time in ms (exponential average). */
  rttMs: number;
}

interface Subscriber {
  readonly indexes: readonly number[] | undefined;
  readonly tags: readonly string[];
  readonly onUpdate: Set<(u: DeviceUpdate) => void>;
  readonly onHealth: Set<(c: DeviceHealthChange) => void>;
  latest: DeviceUpdate | undefined;
}

export type HealthSink = (device: DeviceRuntime, change: DeviceHealthChange) => void;

const ANSWERING: Text = { zh: '通讯正常', en: 'answering' };

export class DeviceRuntime {
  readonly values: DeviceValue[];
  readonly qualities: Quality[];
  readonly readAt: number[];
  private readonly missed: Uint32Array;
  readonly groups: GroupState[];
  health: DeviceHealth = 'connecting';
  healthReason: Text = { zh: '正在连接', en: 'connecting' };
  private failedRounds = 0;
  /** Consecutive timeouts; reset by any answer. */
  timeouts = 0;
  /** Degraded: only probed, with backoff, until it answers. */
  probing = false;
  probeAttempt = 0;
  nextProbeAt = 0;
  probePending = false;
  /** Polled while some handle wants it. */
  polls = 0;
  readonly stats: DeviceStats = { rounds: 0, skipped: 0, requests: 0, failures: 0, timeouts: 0, exceptions: 0, protocolErrors: 0, lastError: undefined, rttMs: 0 };
  private readonly subscribers = new Set<Subscriber>();
  private readonly scratch: Decoded = { value: null, quality: 'bad' };

  constructor(
    readonly compiled: CompiledDevice,
    private readonly settings: () => DeviceSettings,
    private readonly now: () => number,
    private readonly healthSink: HealthSink,
    private readonly onSplit: (device: DeviceRuntime, block: CompiledBlock, into: readonly CompiledBlock[]) => void,
  ) {
    const n = compiled.tags.length;
    this.values = new Array<DeviceValue>(n).fill(null);
    this.qualities = new Array<Quality>(n).fill('bad');
    this.readAt = new Array<number>(n).fill(0);
    this.missed = new Uint32Array(n);
    this.groups = compiled.groups.map((group, index) => {
      const fresh = new Array<boolean>(n).fill(false);
      for (const b of group.blocks) for (const t of b.tags) fresh[t.index] = true;
      return { group: { intervalMs: group.intervalMs, blocks: [...group.blocks] }, index, nextDue: 0, pending: 0, succeeded: 0, failed: 0, answered: false, error: undefined, fresh: Object.freeze(fresh) };
    });
  }

  get name(): string {
    return this.compiled.name;
  }

  get timeoutMs(): number {
    return this.compiled.timeoutMs ?? this.settings().timeoutMs;
  }

  subscribe(indexes: readonly number[] | undefined): Subscriber {
    const tags = (indexes ?? this.compiled.tags.map((t) => t.index)).map((i) => this.compiled.tags[i]!.key);
    const sub: Subscriber = { indexes, tags: Object.freeze(tags), onUpdate: new Set(), onHealth: new Set(), latest: undefined };
    this.subscribers.add(sub);
    // Already polling (for an earlier deployment): the newcomer gets the current values at once.
    if (this.stats.rounds > 0) sub.latest = this.updateFor(sub, this.now(), undefined);
    return sub;
  }

  unsubscribe(sub: Subscriber): void {
    this.subscribers.delete(sub);
  }

  /** Starts a round of a group: every block pending. */
  beginRound(g: GroupState): void {
    g.pending = g.group.blocks.length;
    g.succeeded = 0;
    g.failed = 0;
    g.answered = false;
    g.error = undefined;
  }

  /** A block answered: decode its tags. */
  applyRegisters(block: CompiledBlock, bytes: Uint8Array, rttMs: number): void {
    const at = this.now();
    const out = this.scratch;
    for (const tag of block.tags) {
      decodeRegisterTag(tag, block, bytes, out);
      this.values[tag.index] = out.value;
      this.qualities[tag.index] = out.quality;
      this.readAt[tag.index] = at;
      this.missed[tag.index] = 0;
    }
    this.answered(rttMs);
  }

  applyBits(block: CompiledBlock, bits: readonly boolean[], rttMs: number): void {
    const at = this.now();
    for (const tag of block.tags) {
      this.values[tag.index] = bits[tag.start - block.start] === true;
      this.qualities[tag.index] = 'good';
      this.readAt[tag.index] = at;
      this.missed[tag.index] = 0;
    }
    this.answered(rttMs);
  }

  private answered(rttMs: number): void {
    this.stats.requests++;
    this.stats.rttMs = this.stats.rttMs === 0 ? rttMs : this.stats.rttMs * 0.9 + rttMs * 0.1;
    this.timeouts = 0;
  }

  /** A block failed: its tags miss a poll (or lose their value at once, for a refusal). */
  failBlock(block: CompiledBlock, err: ModbusError): void {
    const s = this.settings();
    this.stats.requests++;
    this.stats.failures++;
    this.stats.lastError = err.text;
    if (err.kind === 'timeout') {
      this.stats.timeouts++;
      this.timeouts++;
    } else {
      this.timeouts = 0;
      if (err.kind === 'exception') this.stats.exceptions++;
      else if (err.kind === 'protocol') this.stats.protocolErrors++;
    }
    for (const tag of block.tags) {
      const i = tag.index;
      const missed = ++this.missed[i]!;
      if (err.kind === 'exception' || missed >= s.badAfterMissed) {
        this.values[i] = null;
        this.qualities[i] = 'bad';
      } else if (missed >= s.staleAfterMissed && this.qualities[i] === 'good') {
        this.qualities[i] = 'uncertain';
      }
    }
  }

  /**
   * The device refused a block that spans unused registers ("illegal data address"): plan its
   * tags again without bridging gaps, for good. Returns the new blocks to read this round.
   */
  split(g: GroupState, block: CompiledBlock): CompiledBlock[] {
    const into = planGroups(this.name, block.tags, { ...this.compiled.limits, maxGap: 0, maxBitGap: 0 }).flatMap((x) => x.blocks);
    const i = g.group.blocks.indexOf(block);
    if (i >= 0) g.group.blocks.splice(i, 1, ...into);
    this.onSplit(this, block, into);
    return into;
  }

  /** A round ended: health, then an update to every subscriber. */
  endRound(g: GroupState): void {
    this.stats.rounds++;
    const s = this.settings();
    if (g.failed === 0) {
      this.failedRounds = 0;
      this.setHealth('online', ANSWERING);
    } else if (g.succeeded > 0 || g.answered) {
      this.failedRounds = 0;
      this.setHealth('degraded', g.error!.text);
    } else {
      this.failedRounds++;
      this.setHealth(this.failedRounds >= s.offlineAfterFailed ? 'offline' : 'degraded', g.error!.text);
    }
    if (!this.probing && this.timeouts >= s.degradeAfterTimeouts) this.startProbing(g.error?.text);
    this.publish(g.fresh);
  }

  /** Stops regular polls; a probe goes out with growing delays until the device answers. */
  startProbing(why: Text | undefined): void {
    this.probing = true;
    this.probeAttempt = 0;
    this.nextProbeAt = performance.now() + backoffDelay(this.settings().probe, 0);
    this.dropValues();
    this.setHealth('offline', why ?? { zh: '无应答', en: 'not answering' });
  }

  probeFailed(): void {
    this.probeAttempt++;
    this.nextProbeAt = performance.now() + backoffDelay(this.settings().probe, this.probeAttempt);
  }

  /** A probe was answered: regular polling resumes at once. */
  probeAnswered(): void {
    this.probing = false;
    this.probeAttempt = 0;
    const now = performance.now();
    for (const g of this.groups) g.nextDue = g.group.intervalMs > 0 ? Math.floor(now / g.group.intervalMs) * g.group.intervalMs : now;
    this.setHealth('degraded', { zh: '恢复应答，等待完整轮询', en: 'answering again, waiting for a full round' });
  }

  /** Forgets rounds in progress (their requests were dropped with the connection). */
  resetRounds(): void {
    for (const g of this.groups) g.pending = 0;
    this.probePending = false;
  }

  /** The line went down: no value is current. */
  lineDown(why: Text): void {
    this.resetRounds();
    // Offline until a round succeeds again, not degraded by the first failure after reconnecting.
    this.failedRounds = this.settings().offlineAfterFailed;
    this.dropValues();
    this.setHealth('offline', why);
    this.publish(undefined);
  }

  /** The line is (again) open: poll at once. Health changes with the first round, not before. */
  lineUp(): void {
    const now = performance.now();
    // The first round at once; `nextDue` just after it moves onto the shared grid (line.ts).
    for (const g of this.groups) g.nextDue = g.group.intervalMs > 0 ? Math.floor(now / g.group.intervalMs) * g.group.intervalMs : now;
  }

  private dropValues(): void {
    const s = this.settings();
    for (let i = 0; i < this.values.length; i++) {
      this.values[i] = null;
      this.qualities[i] = 'bad';
      this.missed[i] = Math.max(this.missed[i]!, s.badAfterMissed);
    }
  }

  setHealth(to: DeviceHealth, reason: Text): void {
    const from = this.health;
    this.healthReason = reason;
    if (from === to) return;
    this.health = to;
    const change: DeviceHealthChange = { device: this.name, from, to, reason, at: this.now() };
    this.healthSink(this, change);
    for (const sub of this.subscribers) {
      for (const l of sub.onHealth) {
        try {
          l(change);
        } catch {
          // A listener's failure is its own; the poller carries on.
        }
      }
    }
  }

  private updateFor(sub: Subscriber, ts: number, fresh: readonly boolean[] | undefined): DeviceUpdate {
    const idx = sub.indexes;
    if (idx === undefined) {
      return { device: this.name, ts, health: this.health, tags: sub.tags, values: this.values.slice(), qualities: this.qualities.slice(), readAt: this.readAt.slice(), fresh: fresh ?? this.values.map(() => false) };
    }
    return {
      device: this.name,
      ts,
      health: this.health,
      tags: sub.tags,
      values: idx.map((i) => this.values[i]!),
      qualities: idx.map((i) => this.qualities[i]!),
      readAt: idx.map((i) => this.readAt[i]!),
      fresh: idx.map((i) => (fresh ? fresh[i]! : false)),
    };
  }

  private publish(fresh: readonly boolean[] | undefined): void {
    if (this.subscribers.size === 0) return;
    const ts = this.now();
    const noneFresh = fresh ?? this.groups[0]?.fresh.map(() => false) ?? [];
    for (const sub of this.subscribers) {
      const update = this.updateFor(sub, ts, fresh ?? noneFresh);
      sub.latest = update;
      for (const l of sub.onUpdate) {
        try {
          l(update);
        } catch {
          // As above.
        }
      }
    }
  }
}
