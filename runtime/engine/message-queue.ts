import type { Message } from '../model';

/** A growable ring of (message, input port) pairs; the bound is enforced by the node runner. */
export class MessageQueue {
  private msgs: (Message | undefined)[];
  private ports: string[];
  private head = 0;
  private size = 0;

  constructor(initial = 16) {
    // Power-of-two sizes so positions wrap with a mask.
    initial = 2 ** Math.ceil(Math.log2(Math.max(2, initial)));
    this.msgs = new Array<Message | undefined>(initial);
    this.ports = new Array<string>(initial);
  }

  get length(): number {
    return this.size;
  }

  push(msg: Message, port: string): void {
    if (this.size === this.msgs.length) this.grow();
    const i = (this.head + this.size) & (this.msgs.length - 1);
    this.msgs[i] = msg;
    this.ports[i] = port;
    this.size++;
  }

  peekPort(): string {
    return this.ports[this.head]!;
  }

  /** Removes the oldest entry and returns its message (its port is `peekPort()` before). */
  shift(): Message {
    const msg = this.msgs[this.head]!;
    this.msgs[this.head] = undefined;
    this.head = (this.head + 1) & (this.msgs.length - 1);
    this.size--;
    return msg;
  }

  /** Takes up to `max` oldest messages that share the first one's port. */
  takeBatch(max: number): { port: string; msgs: Message[] } {
    const port = this.ports[this.head]!;
    const msgs: Message[] = [];
    while (this.size > 0 && msgs.length < max && this.ports[this.head] === port) msgs.push(this.shift());
    return { port, msgs };
  }

  clear(): void {
    this.msgs.fill(undefined);
    this.head = 0;
    this.size = 0;
  }

  private grow(): void {
    const n = this.msgs.length;
    const msgs = new Array<Message | undefined>(n * 2);
    const ports = new Array<string>(n * 2);
    for (let i = 0; i < this.size; i++) {
      msgs[i] = this.msgs[(this.head + i) & (n - 1)];
      ports[i] = this.ports[(this.head + i) & (n - 1)]!;
    }
    this.msgs = msgs;
    this.ports = ports;
    this.head = 0;
  }
}
