/**
 * What a rule sees, as TypeScript declarations for Monaco's completion: the body of
 * `function (msg, state, log) { … }` run in the QuickJS sandbox (nodes/core/rule, runtime/sandbox).
 */
export const RULE_TYPINGS = `
/** How far a message's value can be trusted. */
type Quality = 'good' | 'bad' | 'uncertain';

/** A message: only these five fields exist; data goes in payload. */
interface Message {
  /** Milliseconds since 1970 (UTC) when the value was taken. */
  ts: number;
  /** What the value is, e.g. "temperature" or "alarm/overheat". */
  topic: string;
  /** The data: a number, string, boolean, object or array (JSON). */
  payload: any;
  /** The device the value is about, e.g. "IMM-01". */
  device?: string;
  quality: Quality;
}

/** What a rule may return for a message: fields it leaves out come from the input; device: null removes it. */
type MessageOut = Partial<Omit<Message, 'device'>> & { device?: string | null };

/** The message being handled (a copy: change it and return it). */
declare const msg: Message;
/** This node's own state, kept as JSON between messages, restarts and redeploys. */
declare let state: Record<string, any>;
/** Lines shown in the live console and the debug panel. */
declare const log: {
  info(...args: any[]): void;
  warn(...args: any[]): void;
  error(...args: any[]): void;
};
`;
