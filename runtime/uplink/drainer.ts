import type { Logger } from 'pino';
import type { OutboundApi } from '../store/store';
import type { OutboundRow } from '../store/outbound-queue';

/** What a transport did with a batch. */
export interface BatchResult {
  /** Rows the receiver has (MQTT PUBACK, HTTP 2xx). */
  readonly acked: readonly OutboundRow[];
  /** Rows the receiver refused for good (MQTT reason code ≥ 0x80, HTTP 4xx), with why. */
  readonly refused: readonly OutboundRow[];
  readonly reason?: string;
  /** The link failed: try again later, from the oldest row still queued. */
  readonly retry: boolean;
}

export interface Transport {
  /**
   * Batches it may have on the wire at once while a backlog drains. More than 1 only for a link
   * that delivers them in the order sent (one MQTT connection); 1 when absent.
   */
  readonly pipeline?: number;
  /** Connected and able to send now. */
  ready(): boolean;
  send(rows: readonly OutboundRow[], batchSize: number): Promise<BatchResult>;
  /** Resolves when the transport may have become ready (or after a while, to look again). */
  waitReady(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface DrainerOptions {
  readonly endpoint: string;
  readonly batch: number;
  readonly deadAfterAttempts: number;
  readonly logger: Logger;
}

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const IDLE_WAIT_MS = 500;
/**
 * Once the queue is caught up, the next look comes at least this long after the last: a steady
 * stream of sends goes as one batch (one read, one publish burst, one delete) per LINGER_MS
 * instead of one per send. A message queued after a quiet spell goes at once.
 */
const LINGER_MS = 200;

interface Sent {
  readonly rows: readonly OutboundRow[];
  readonly result: Promise<BatchResult>;
}

/**
 * Sends an endpoint's queue, oldest first: a row is deleted only once the receiver has it.
 * While a backlog drains, up to the transport's `pipeline` full batches are on the wire, sent
 * in id order over the one link, each read after the last row of the one before. A batch
 * refused as a whole is halved (one batch at a time) until the refused message is alone; a
 * message refused on its own `deadAfterAttempts` times is set aside so the rest can go. After a
 * refusal or a failed link, what is still on the wire is let finish, and sending goes on from
 * the oldest row still queued.
 */
export class Drainer {
  private running = true;
  private wake: (() => void) | undefined;
  private lingering: ReturnType<typeof setTimeout> | undefined;
  /** Something was queued since the last look. */
  private news = false;
  /** The last look found less than a full batch: the queue was caught up. */
  private caughtUp = false;
  /** When that look was, on performance.now(). */
  private lastLook = Number.NEGATIVE_INFINITY;
  private batch: number;
  private backoff = BACKOFF_FIRST_MS;
  private readonly done: Promise<void>;
  lastError: string | undefined;

  constructor(private readonly queue: OutboundApi, private readonly transport: Transport, private readonly o: DrainerOptions) {
    this.batch = o.batch;
    this.done = this.loop();
  }

  /** Something was queued: look at once, or LINGER_MS after the last look, instead of at the next idle check. */
  notify(): void {
    this.news = true;
    if (!this.wake || this.lingering) return;
    const wait = this.lastLook + LINGER_MS - performance.now();
    if (wait <= 0) {
      this.wake();
      return;
    }
    this.lingering = setTimeout(() => {
      this.lingering = undefined;
      this.wake?.();
    }, wait);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = undefined;
    this.wake?.();
    // Closing the link settles what is on the wire: acked rows are deleted, the rest stay queued.
    await this.transport.close();
    await this.done;
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** Deletes what the receiver has of the batches still on the wire once they are done; the rest go again. */
  private async settle(inFlight: Sent[]): Promise<void> {
    for (const sent of inFlight.splice(0)) {
      const result = await sent.result;
      if (result.acked.length > 0) this.queue.ack(this.o.endpoint, result.acked);
    }
  }

  /** Applies one batch's result; true when it went through as a whole. */
  private apply(rows: readonly OutboundRow[], result: BatchResult): boolean {
    if (result.acked.length > 0) this.queue.ack(this.o.endpoint, result.acked);
    const wholeBatch = rows.length > 1 && result.refused.length === rows.length;
    if (wholeBatch) {
      // The receiver refused the batch as a whole: halve it until the message it refuses is
      // alone. The others are not blamed for it.
      this.lastError = result.reason;
      this.batch = Math.max(1, Math.floor(rows.length / 2));
    } else if (result.refused.length > 0) {
      const buried = this.queue.refuse(this.o.endpoint, result.refused, result.reason ?? 'refused', this.o.deadAfterAttempts);
      this.lastError = result.reason;
      if (buried > 0) this.o.logger.warn({ endpoint: this.o.endpoint, buried, reason: result.reason }, 'uplink: messages the receiver keeps refusing were set aside');
    } else if (result.acked.length > 0 && this.batch < this.o.batch) {
      this.batch = Math.min(this.o.batch, this.batch * 2);
    }
    return result.refused.length === 0 && !result.retry;
  }

  private async loop(): Promise<void> {
    const inFlight: Sent[] = [];
    while (this.running) {
      try {
        if (inFlight.length === 0) {
          if (!this.transport.ready()) {
            await this.transport.waitReady(1_000);
            continue;
          }
          if (this.caughtUp) {
            // Nothing was left at the last look: look again once something is queued, but not
            // sooner than LINGER_MS after the last look (notify shortens an idle wait).
            const wait = this.news ? this.lastLook + LINGER_MS - performance.now() : IDLE_WAIT_MS;
            if (wait > 0) await this.sleep(wait);
            if (!this.running) break;
          }
        }
        // Fill the pipeline (one batch at a time while halving), each batch after the last row sent.
        const depth = this.batch === this.o.batch ? Math.max(1, this.transport.pipeline ?? 1) : 1;
        while (inFlight.length < depth && this.transport.ready()) {
          const after = inFlight.at(-1)?.rows.at(-1)?.id ?? 0;
          this.news = false;
          const rows = this.queue.peek(this.o.endpoint, this.batch, after);
          if (rows.length > 0) inFlight.push({ rows, result: this.transport.send(rows, this.batch) });
          this.caughtUp = rows.length < this.batch;
          if (this.caughtUp) {
            this.lastLook = performance.now();
            break;
          }
        }
        const head = inFlight.shift();
        if (!head) continue;
        const result = await head.result;
        const whole = this.apply(head.rows, result);
        // Refused or cut off: the batches behind it finish first, then the oldest row still queued goes next.
        if (!whole) await this.settle(inFlight);
        if (result.retry) {
          this.lastError = result.reason;
          await this.sleep(this.backoff);
          this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
        } else {
          this.backoff = BACKOFF_FIRST_MS;
        }
      } catch (err) {
        // The store could not be read or written (a full disk): wait and try again. What is on
        // the wire is left to finish; its rows stay queued and go again.
        inFlight.length = 0;
        this.lastError = err instanceof Error ? err.message : String(err);
        this.o.logger.warn({ endpoint: this.o.endpoint, err: this.lastError }, 'uplink: drain step failed');
        await this.sleep(this.backoff);
        this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
      }
    }
    // Stopping: what was sent meanwhile is settled (the link's close ends every batch).
    try {
      await this.settle(inFlight);
    } catch {
      // The store is closing: the rows stay queued and go again.
    }
  }
}
