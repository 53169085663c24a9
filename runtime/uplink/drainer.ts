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
 * Sends an endpoint's queue, oldest first, one batch at a time: a row is deleted only once the
 * receiver has it. A batch refused as a whole is halved until the refused message is alone;
 * a message refused on its own `deadAfterAttempts` times is set aside so the rest can go.
 */
export class Drainer {
  private running = true;
  private wake: (() => void) | undefined;
  private batch: number;
  private backoff = BACKOFF_FIRST_MS;
  private readonly done: Promise<void>;
  lastError: string | undefined;

  constructor(private readonly queue: OutboundApi, private readonly transport: Transport, private readonly o: DrainerOptions) {
    this.batch = o.batch;
    this.done = this.loop();
  }

  /** Something was queued: look at once instead of at the next idle check. */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await this.transport.close();
    await this.done;
  }

  private sleep(ms: number): Promise<void> {
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

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        if (!this.transport.ready()) {
          await this.transport.waitReady(1_000);
          continue;
        }
        const rows = this.queue.peek(this.o.endpoint, this.batch);
        if (rows.length === 0) {
          await this.sleep(IDLE_WAIT_MS);
          continue;
        }
        const result = await this.transport.send(rows, this.batch);
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
        if (result.retry) {
          this.lastError = result.reason;
          await this.sleep(this.backoff);
          this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
        } else {
          this.backoff = BACKOFF_FIRST_MS;
        }
      } catch (err) {
        // The store could not be read or written (a full disk): wait and try again.
        this.lastError = err instanceof Error ? err.message : String(err);
        this.o.logger.warn({ endpoint: this.o.endpoint, err: this.lastError }, 'uplink: drain step failed');
        await this.sleep(this.backoff);
        this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
      }
    }
  }
}
