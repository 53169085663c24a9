/**
 * Site-wide polling settings. A device entry may override the timeout; everything else is the
 * site's policy and can be changed on a running manager with `configure`.
 */
export interface DeviceSettings {
  /** Answer timeout when neither the device entry nor its profile gives one. */
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  /** Consecutive missed polls after which a value is reported stale (quality `uncertain`). */
  readonly staleAfterMissed: number;
  /** Consecutive missed polls after which a value is dropped (quality `bad`, value null). */
  readonly badAfterMissed: number;
  /** Consecutive failed rounds after which a device is `offline`. */
  readonly offlineAfterFailed: number;
  /** Consecutive timeouts after which a device is only probed, with backoff, until it answers. */
  readonly degradeAfterTimeouts: number;
  readonly probe: Backoff;
  readonly reconnect: Backoff;
  /** Modbus TCP: consecutive timeouts on a connection (nothing answering) before it is reopened. */
  readonly reconnectAfterTimeouts: number;
  /** RTU: after a timeout or a broken answer, the line must be silent this long before the next request. */
  readonly drainQuietMs: number;
  /** RTU: the longest wait for silence; a line still chattering after it is used anyway (see `lateGuardMs`). */
  readonly drainMaxMs: number;
  /**
   * RTU: after a timeout, no request of the same unit, function and size is sent for this long
   * (a late answer to it could not be told from the answer to the new one). An answer later than
   * this is assumed never to come. Default: 4 × the request's timeout, at least 1 s.
   */
  readonly lateGuardMs?: number;
  /** RTU on a serial port: gap between frames; default 3.5 characters at the line's speed (≥ 2 ms). */
  readonly interFrameDelayMs?: number;
  /** Writes that may wait per line; more are refused rather than queued without bound. */
  readonly maxQueuedWrites: number;
  /** A device no handle holds keeps polling this long, so a redeploy does not interrupt it. */
  readonly lingerMs: number;
}

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;
}

export const DEFAULT_DEVICE_SETTINGS: DeviceSettings = {
  timeoutMs: 1000,
  connectTimeoutMs: 3000,
  staleAfterMissed: 1,
  badAfterMissed: 3,
  offlineAfterFailed: 3,
  degradeAfterTimeouts: 3,
  probe: { initialMs: 1000, maxMs: 60_000, factor: 2 },
  reconnect: { initialMs: 500, maxMs: 30_000, factor: 2 },
  reconnectAfterTimeouts: 3,
  drainQuietMs: 50,
  drainMaxMs: 1000,
  maxQueuedWrites: 64,
  lingerMs: 5000,
};

/** The n-th delay (n from 0) of an exponential backoff. */
export function backoffDelay(b: Backoff, n: number): number {
  return Math.min(b.maxMs, b.initialMs * b.factor ** Math.min(n, 40));
}

export function mergeSettings(base: DeviceSettings, patch: Partial<DeviceSettings> = {}): DeviceSettings {
  return {
    ...base,
    ...patch,
    probe: { ...base.probe, ...patch.probe },
    reconnect: { ...base.reconnect, ...patch.reconnect },
  };
}
