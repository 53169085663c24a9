/**
 * A line: one connection (a Modbus TCP socket, a serial port, a transparent serial server) and
 * the devices behind it. It schedules their poll rounds, queues requests by priority and sends
 * them within what the medium allows, and reconnects with backoff.
 *
 * Order of requests: writes, then polls in the order they came due, then probes of degraded
 * devices — a probe only when nothing else waits, so a dead device costs the others at most one
 * timeout now and then, never their rate. A round that comes due while the previous one of the
 * same group still waits is skipped and counted, so the queue never holds more than one round
 * per group: memory stays bounded at any requested rate.
 *
 * RTU (serial, or RTU over TCP): one request at a time, a gap between frames, and after a
 * timeout or a broken answer the line must fall silent (`drainQuietMs`) before the next request;
 * the port's input is emptied before each request. A request shaped exactly like one that timed
 * out (same unit, function, size) waits out `lateGuardMs`, since its late answer could not be
 * told apart. Modbus TCP: up to `pipeline` requests in flight, matched by transaction id; a
 * broken frame or a stream left mid-frame reopens the connection.
 */
import type { CompiledBlock } from './compile';
import type { DeviceRuntime, GroupState } from './device';
import type { Endpoint, ModbusClient, ModbusError } from './modbus-client';
import { ModbusError as ModbusErrorClass, describeEndpoint, isRtu, openModbusClient } from './modbus-client';
import type { DeviceSettings } from './settings';
import { backoffDelay } from './settings';
import type { WriteOp } from './write-op';

interface ReadJob {
  readonly kind: 'read';
  readonly device: DeviceRuntime;
  readonly group: GroupState;
  readonly block: CompiledBlock;
  readonly probe: boolean;
}

interface WriteJob {
  readonly kind: 'write';
  readonly device: DeviceRuntime;
  readonly op: WriteOp;
  readonly done: (err: ModbusError | null) => void;
}

type Job = ReadJob | WriteJob;

export type LineState = 'idle' | 'connecting' | 'open' | 'backoff' | 'closed';

export interface LineOptions {
  readonly endpoint: Endpoint;
  readonly pipeline: number;
  readonly settings: () => DeviceSettings;
  readonly onState?: (line: Line, state: LineState, why?: ModbusError) => void;
}

const OFFLINE = () => new ModbusErrorClass('connection', { zh: '设备离线（连接未建立）', en: 'device offline (no connection)' });
const BUSY = () => new ModbusErrorClass('connection', { zh: '写入排队过多，请稍后再试', en: 'too many writes waiting; try again later' });

function fcOf(job: Job): number {
  if (job.kind === 'write') return job.op.kind === 'coil' ? 5 : job.op.kind === 'mask' ? 22 : job.op.bytes.length === 2 ? 6 : 16;
  switch (job.block.area) {
    case 'coil':
      return 1;
    case 'discrete':
      return 2;
    case 'holding':
      return 3;
    case 'input':
      return 4;
  }
}

function countOf(job: Job): number {
  return job.kind === 'read' ? job.block.count : job.op.kind === 'registers' ? job.op.bytes.length / 2 : 1;
}

/** The first multiple of `interval` after `now` (performance.now() time). */
export function onGrid(now: number, interval: number): number {
  return (Math.floor(now / interval) + 1) * interval;
}

export class Line {
  readonly endpoint: Endpoint;
  readonly rtu: boolean;
  readonly devices = new Set<DeviceRuntime>();
  state: LineState = 'idle';
  private client: ModbusClient | undefined;
  private readonly writes: WriteJob[] = [];
  private readonly polls: ReadJob[] = [];
  private readonly probes: ReadJob[] = [];
  private inFlight = 0;
  private tickTimer: ReturnType<typeof setTimeout> | undefined;
  private tickAt = Infinity;
  private gateTimer: ReturnType<typeof setTimeout> | undefined;
  private wakeTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectAttempt = 0;
  /** RTU: must wait for silence before the next request. */
  private dirtySince = -1;
  private lastDoneAt = 0;
  private guard: { unit: number; fc: number; count: number; until: number } | undefined;
  /** Consecutive timeouts on this connection, whatever the device. */
  private timeoutsInRow = 0;
  pipeline: number;
  lastError: ModbusError | undefined;

  constructor(private readonly options: LineOptions) {
    this.endpoint = options.endpoint;
    this.rtu = isRtu(options.endpoint);
    this.pipeline = this.rtu ? 1 : Math.max(1, options.pipeline);
  }

  /** Requests waiting for the line: at most one round per poll group, plus writes and probes. */
  get queued(): number {
    return this.writes.length + this.polls.length + this.probes.length;
  }

  get label(): string {
    return describeEndpoint(this.endpoint);
  }

  private get settings(): DeviceSettings {
    return this.options.settings();
  }

  add(device: DeviceRuntime): void {
    this.devices.add(device);
    if (this.state === 'open') {
      device.lineUp();
      this.tick();
    } else if (this.state === 'backoff' && this.lastError) device.lineDown(this.lastError.text);
  }

  remove(device: DeviceRuntime): void {
    this.devices.delete(device);
    const drop = <J extends Job>(list: J[]) => {
      for (let i = list.length - 1; i >= 0; i--) {
        const job = list[i]!;
        if (job.device !== device) continue;
        list.splice(i, 1);
        if (job.kind === 'write') job.done(OFFLINE());
      }
    };
    drop(this.writes);
    drop(this.polls);
    drop(this.probes);
  }

  start(): void {
    if (this.state === 'idle' || this.state === 'closed') {
      this.state = 'idle';
      this.connect();
    }
  }

  async close(): Promise<void> {
    this.state = 'closed';
    clearTimeout(this.tickTimer);
    clearTimeout(this.gateTimer);
    clearTimeout(this.wakeTimer);
    clearTimeout(this.reconnectTimer);
    this.tickTimer = this.gateTimer = this.wakeTimer = this.reconnectTimer = undefined;
    this.tickAt = Infinity;
    for (const w of this.writes.splice(0)) w.done(OFFLINE());
    this.polls.length = 0;
    this.probes.length = 0;
    for (const d of this.devices) d.resetRounds();
    const client = this.client;
    this.client = undefined;
    this.inFlight = 0;
    if (client) await client.close();
  }

  /**
   * Queues a write ahead of every poll; a write on a line still connecting waits for it. Fails
   * at once when the line is down (in backoff) or stopped, or when too many writes wait.
   */
  write(device: DeviceRuntime, op: WriteOp): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.state !== 'open' && this.state !== 'connecting') return reject(OFFLINE());
      if (this.writes.length >= this.settings.maxQueuedWrites) return reject(BUSY());
      this.writes.push({ kind: 'write', device, op, done: (err) => (err ? reject(err) : resolve()) });
      this.dispatch();
    });
  }

  private connect(): void {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    this.options.onState?.(this, 'connecting');
    openModbusClient(this.endpoint, { connectTimeoutMs: this.settings.connectTimeoutMs }).then((client) => {
      if (this.state === 'closed') {
        void client.close();
        return;
      }
      this.client = client;
      this.state = 'open';
      this.dirtySince = -1;
      this.guard = undefined;
      this.timeoutsInRow = 0;
      client.onClose((why) => {
        if (this.client === client) this.lost(why);
      });
      this.options.onState?.(this, 'open');
      for (const d of this.devices) d.lineUp();
      this.tick();
    }, (err: ModbusError) => this.lost(err));
  }

  private lost(why: ModbusError): void {
    if (this.state === 'closed' || this.state === 'backoff') return;
    const client = this.client;
    this.client = undefined;
    this.state = 'backoff';
    this.lastError = why;
    this.inFlight = 0;
    clearTimeout(this.tickTimer);
    clearTimeout(this.gateTimer);
    clearTimeout(this.wakeTimer);
    this.tickTimer = this.gateTimer = this.wakeTimer = undefined;
    this.tickAt = Infinity;
    for (const w of this.writes.splice(0)) w.done(why);
    this.polls.length = 0;
    this.probes.length = 0;
    if (client) void client.close();
    for (const d of this.devices) d.lineDown(why.text);
    this.options.onState?.(this, 'backoff', why);
    const delay = backoffDelay(this.settings.reconnect, this.reconnectAttempt++);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
  }

  /** Closes the connection so it reopens clean (desynchronised or hung stream). */
  private reopen(why: ModbusError): void {
    if (this.client) this.lost(why);
  }

  /** Starts every round that is due, queues due probes, and sets the timer for the next. */
  tick(): void {
    if (this.state !== 'open') return;
    const now = performance.now();
    let next = Infinity;
    for (const d of this.devices) {
      if (d.polls === 0) continue;
      if (d.probing) {
        if (!d.probePending && now >= d.nextProbeAt) this.queueProbe(d);
        if (!d.probePending) next = Math.min(next, d.nextProbeAt);
        continue;
      }
      for (const g of d.groups) {
        const interval = g.group.intervalMs;
        if (interval === 0) {
          if (g.pending === 0) this.startRound(d, g);
          continue;
        }
        if (now >= g.nextDue) {
          if (g.pending > 0) d.stats.skipped++;
          else this.startRound(d, g);
          // Due times sit on a grid shared by every line (multiples of the interval on one clock),
          // so devices polled at the same rate wake the process once, not once each. Far behind
          // (a stall, an outage) the cadence restarts at the next grid point rather than bursting.
          g.nextDue = g.nextDue + interval > now ? g.nextDue + interval : onGrid(now, interval);
        }
        next = Math.min(next, g.nextDue);
      }
    }
    this.armTick(next);
    this.dispatch();
  }

  private armTick(at: number): void {
    if (at === this.tickAt && this.tickTimer) return;
    clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
    this.tickAt = at;
    if (at === Infinity) return;
    this.tickTimer = setTimeout(() => {
      this.tickTimer = undefined;
      this.tickAt = Infinity;
      this.tick();
    }, Math.max(0, at - performance.now()));
  }

  private startRound(d: DeviceRuntime, g: GroupState): void {
    d.beginRound(g);
    for (const block of g.group.blocks) this.polls.push({ kind: 'read', device: d, group: g, block, probe: false });
  }

  private queueProbe(d: DeviceRuntime): void {
    const g = d.groups[0];
    const block = g?.group.blocks[0];
    if (!g || !block) return;
    d.probePending = true;
    this.probes.push({ kind: 'read', device: d, group: g, block, probe: true });
  }

  /** A device that went to probing gives up its queued polls: each would only time out. */
  private dropPolls(d: DeviceRuntime): void {
    for (let i = this.polls.length - 1; i >= 0; i--) if (this.polls[i]!.device === d) this.polls.splice(i, 1);
    for (const g of d.groups) g.pending = 0;
  }

  private guarded(job: Job, now: number): boolean {
    const g = this.guard;
    return g !== undefined && now < g.until && job.device.compiled.unitId === g.unit && fcOf(job) === g.fc && countOf(job) === g.count;
  }

  /** The next job to send, or undefined; on RTU, one the late-answer guard does not hold back. */
  private take(now: number): Job | undefined {
    for (const list of [this.writes, this.polls] as Job[][]) {
      if (list.length === 0) continue;
      if (!this.rtu || !this.guarded(list[0]!, now)) return list.shift();
      const i = list.findIndex((j) => !this.guarded(j, now));
      if (i >= 0) return list.splice(i, 1)[0];
    }
    if (this.probes.length > 0 && this.inFlight === 0 && this.writes.length === 0 && this.polls.length === 0) {
      if (!this.rtu || !this.guarded(this.probes[0]!, now)) return this.probes.shift();
    }
    return undefined;
  }

  private wake(ms: number): void {
    clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.dispatch();
    }, Math.max(1, Math.ceil(ms)));
  }

  /** Holds every request back for `ms` (silence after a timeout, the gap between RTU frames). */
  private gate(ms: number): void {
    if (this.gateTimer) return;
    this.gateTimer = setTimeout(() => {
      this.gateTimer = undefined;
      this.dispatch();
    }, Math.max(1, Math.ceil(ms)));
  }

  private interFrameDelay(): number {
    const s = this.settings;
    if (s.interFrameDelayMs !== undefined) return s.interFrameDelayMs;
    if (this.endpoint.kind !== 'serial') return 0;
    // 3.5 characters of 11 bits; the specification fixes 1.75 ms above 19 200 baud.
    return Math.max(2, this.endpoint.baudRate > 19_200 ? 1.75 : (3.5 * 11 * 1000) / this.endpoint.baudRate);
  }

  private dispatch(): void {
    const client = this.client;
    if (this.state !== 'open' || !client || this.gateTimer) return;
    while (this.inFlight < this.pipeline) {
      const now = performance.now();
      if (this.rtu) {
        if (this.dirtySince >= 0) {
          const quiet = now - client.lastRxAt;
          const s = this.settings;
          if (quiet < s.drainQuietMs && now - this.dirtySince < s.drainMaxMs) {
            this.gate(s.drainQuietMs - quiet);
            return;
          }
          this.dirtySince = -1;
        }
        const gap = this.interFrameDelay();
        if (gap > 0 && now - this.lastDoneAt < gap && (this.writes.length > 0 || this.polls.length > 0 || this.probes.length > 0)) {
          this.gate(gap - (now - this.lastDoneAt));
          return;
        }
      }
      const job = this.take(now);
      if (!job) {
        // Only held-back requests wait: look again when the guard lapses, without holding up
        // requests that arrive meanwhile.
        if (this.rtu && this.guard && (this.writes.length > 0 || this.polls.length > 0 || (this.probes.length > 0 && this.inFlight === 0))) {
          this.wake(this.guard.until - now);
        }
        return;
      }
      if (this.rtu) client.discardInput();
      this.send(client, job);
    }
  }

  private send(client: ModbusClient, job: Job): void {
    this.inFlight++;
    const timeoutMs = job.device.timeoutMs;
    const unit = job.device.compiled.unitId;
    const sentAt = performance.now();
    if (job.kind === 'write') {
      const done = (err: ModbusError | null) => {
        this.settled(client, job, err, sentAt, timeoutMs);
        job.done(err);
        this.dispatch();
      };
      const op = job.op;
      if (op.kind === 'coil') client.writeCoil(unit, op.address, op.value, timeoutMs, done);
      else if (op.kind === 'mask') client.maskWrite(unit, op.address, op.andMask, op.orMask, timeoutMs, done);
      else client.writeRegisters(unit, op.address, op.bytes, timeoutMs, done);
      return;
    }
    const block = job.block;
    if (block.area === 'coil' || block.area === 'discrete') {
      client.readBits(unit, block.area, block.start, block.count, timeoutMs, (err, bits) => {
        this.settled(client, job, err, sentAt, timeoutMs);
        if (!err) job.device.applyBits(block, bits!, performance.now() - sentAt);
        this.readDone(job, err);
      });
    } else {
      client.readRegisters(unit, block.area, block.start, block.count, timeoutMs, (err, bytes) => {
        this.settled(client, job, err, sentAt, timeoutMs);
        if (!err) job.device.applyRegisters(block, bytes!, performance.now() - sentAt);
        this.readDone(job, err);
      });
    }
  }

  /** Book-keeping common to every answer: in-flight count, RTU drain and guard, TCP resync. */
  private settled(client: ModbusClient, job: Job, err: ModbusError | null, sentAt: number, timeoutMs: number): void {
    if (this.client !== client) return;
    this.inFlight = Math.max(0, this.inFlight - 1);
    const now = performance.now();
    this.lastDoneAt = now;
    if (!err) {
      this.timeoutsInRow = 0;
      this.reconnectAttempt = 0;
      this.lastError = undefined;
      return;
    }
    this.lastError = err;
    if (err.kind === 'connection') return;
    if (err.kind === 'timeout') this.timeoutsInRow++;
    else if (err.kind === 'exception') this.timeoutsInRow = 0;
    if (this.rtu) {
      if (err.kind === 'timeout' || err.kind === 'protocol') this.dirtySince = now;
      if (err.kind === 'timeout') {
        this.guard = { unit: job.device.compiled.unitId, fc: fcOf(job), count: countOf(job), until: sentAt + timeoutMs + (this.settings.lateGuardMs ?? Math.max(1000, 4 * timeoutMs)) };
      }
      return;
    }
    if (err.kind === 'protocol' || (err.kind === 'timeout' && (client.pendingBytes() > 0 || this.timeoutsInRow >= this.settings.reconnectAfterTimeouts))) {
      // Protect the next answer from a stream that lost its framing.
      queueMicrotask(() => this.reopen(err));
    }
  }

  private readDone(job: ReadJob, err: ModbusError | null): void {
    const d = job.device;
    const g = job.group;
    if (err?.kind === 'connection') {
      // The line is going down; lineDown() reports it once for every device.
      if (job.probe) d.probePending = false;
      return;
    }
    if (job.probe) {
      d.probePending = false;
      if (err) {
        d.failBlock(job.block, err);
        if (err.kind === 'exception') d.probeAnswered();
        else d.probeFailed();
      } else d.probeAnswered();
      this.tick();
      return;
    }
    if (!this.devices.has(d) || g.pending === 0) return;
    if (err) {
      if (err.kind === 'exception' && (err.code === 2 || err.code === 3) && job.block.bridged) {
        // The device will not read across unmapped registers: read the tags in tighter blocks.
        const into = d.split(g, job.block);
        g.pending += into.length;
        for (const block of into) this.polls.unshift({ kind: 'read', device: d, group: g, block, probe: false });
      } else {
        d.failBlock(job.block, err);
        g.failed++;
        if (err.kind === 'exception') g.answered = true;
        g.error ??= err;
      }
    } else g.succeeded++;
    g.pending--;
    if (g.pending === 0) {
      d.endRound(g);
      if (d.probing) this.dropPolls(d);
      if (g.group.intervalMs === 0 || d.probing) this.tick();
    }
    this.dispatch();
  }
}
