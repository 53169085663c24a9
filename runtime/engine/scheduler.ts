/** Something with queued work the scheduler can give a turn to. */
export interface Runnable {
  scheduled: boolean;
  runTurn(): void;
}

const SLICE_MS = 8;

/**
 * Gives ready nodes turns in FIFO order. Work starts on a microtask right after a send, runs
 * in slices of a few milliseconds, and yields to the event loop between slices so timers and
 * sockets are never starved.
 */
export class Scheduler {
  private ready: Runnable[] = [];
  private head = 0;
  private running = false;
  private kicked = false;
  private idleWaiters: (() => void)[] = [];
  private readonly runBound = () => this.run();

  constructor(private readonly isIdle: () => boolean) {}

  markReady(node: Runnable): void {
    if (node.scheduled) return;
    node.scheduled = true;
    this.ready.push(node);
    if (!this.running && !this.kicked) {
      this.kicked = true;
      queueMicrotask(this.runBound);
    }
  }

  /** Resolves once nothing is queued or in flight anywhere in the engine. */
  whenIdle(): Promise<void> {
    if (this.head >= this.ready.length && this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Called when in-flight work completes without making anything ready. */
  checkIdle(): void {
    if (this.idleWaiters.length === 0 || this.running || this.head < this.ready.length || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private run(): void {
    this.kicked = false;
    if (this.running) return;
    this.running = true;
    const end = performance.now() + SLICE_MS;
    let turns = 0;
    try {
      while (this.head < this.ready.length) {
        const node = this.ready[this.head]!;
        this.ready[this.head++] = undefined as unknown as Runnable;
        node.scheduled = false;
        node.runTurn();
        if ((++turns & 15) === 0 && performance.now() > end) break;
      }
    } finally {
      if (this.head >= this.ready.length) {
        this.ready.length = 0;
        this.head = 0;
      } else if (this.head > 1024) {
        this.ready = this.ready.slice(this.head);
        this.head = 0;
      }
      this.running = false;
    }
    if (this.head < this.ready.length) {
      this.kicked = true;
      setImmediate(this.runBound);
    } else {
      this.checkIdle();
    }
  }
}
