/**
 * The node SDK: the contract between a node type and the engine that runs it.
 *
 * A node type is one folder `nodes/<category>/<type>/` with a `definition.ts` (what the node
 * is: ports, config schema, texts; no I/O), a `runtime.ts` (what it does on the site) and a
 * `README.md` (the help the designer shows). Register it with one line in `nodes/index.ts`.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import type { JsonPath, Message, MessageFields, NodeSpec, PortSpec, Quality, Text } from '../runtime/model';
import type { DeviceEntry } from '../runtime/model/device-profile';

export type { Message, MessageFields, PortSpec, Quality, Text } from '../runtime/model';
export { TextSchema } from '../runtime/model';
export { z };

/** Where the palette shows a node. */
export type NodeCategory = 'input' | 'logic' | 'alarm' | 'data' | 'device' | 'store' | 'dashboard' | 'uplink' | 'debug';

/**
 * UI hints attached to a config field with {@link field}. The designer renders the form from
 * the schema and these hints; nothing else describes a node's form.
 */
export interface FieldMeta {
  /** Field label, Chinese first. */
  label: Text;
  /** One-line help shown under the field. */
  help?: Text;
  /** Unit printed after a number, e.g. `ms`, `°C`, `kWh`. */
  unit?: string;
  /** A specialised editor; plain schema types get the obvious widget without one. */
  widget?: 'code' | 'duration' | 'schedule' | 'device-group' | 'tag' | 'port-list' | 'property-path' | 'json' | 'textarea';
  /** Language of a `code` widget. */
  language?: 'javascript';
  /** Hidden unless the user opens the advanced section. */
  advanced?: boolean;
}

/** Attaches UI hints to a zod field; returns the same schema type so inference is unchanged. */
export function field<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  return schema.meta({ ...meta }) as T;
}

/** The metadata {@link field} attached to a schema, if any. */
export function fieldMeta(schema: z.ZodType): FieldMeta | undefined {
  const meta = schema.meta() as Partial<FieldMeta> | undefined;
  return meta && meta.label ? (meta as FieldMeta) : undefined;
}

/** How a node's input queue behaves when it is full. */
export type OverflowPolicy = 'block' | 'drop-oldest';

/**
 * What a node type is. Pure data plus the zod config schema: the designer, the validator and
 * the engine all read it, and the core never switches on a type string.
 */
export interface NodeDefinition<C = unknown> extends NodeSpec<C> {
  /** Type id used in flow JSON, e.g. `threshold-alarm`. */
  readonly type: string;
  /** Bumped when the config shape changes; add a migration from the previous version. */
  readonly version: number;
  readonly category: NodeCategory;
  /** A short glyph for the palette and the canvas. */
  readonly icon: string;
  readonly title: Text;
  /** One sentence for the palette tooltip; the full help is the folder's README.md. */
  readonly summary: Text;
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[] | ((config: C) => readonly PortSpec[]);
  readonly config: z.ZodType<C>;
  /** Input queue: how many messages may wait, and what happens past that. Default 1000, `block`. */
  readonly queue?: { readonly capacity?: number; readonly overflow?: OverflowPolicy };
  /** Largest batch given to `onBatch` at once. Default 512. */
  readonly batchSize?: number;
  /** Batches of one node that may be in flight at once (order is kept). Default 1. */
  readonly maxInFlight?: number;
}

/** Time as the node sees it. Tests and scenario runs give nodes a virtual clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface NodeLogger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export type NodeState = 'starting' | 'running' | 'warning' | 'error' | 'stopped';

/** Source code limits for a rule sandbox. */
export interface RuleLimits {
  readonly deadlineMs: number;
  readonly hardLimitMs: number;
  readonly memoryMb: number;
}

/** A compiled rule living in a sandbox. */
export interface RuleSandbox {
  /** Runs the rule once per message, in order; the promise settles when the batch is done. */
  run(messages: readonly Message[], port: string): Promise<RuleBatchResult>;
  /** The rule's `state` object, as last saved. */
  state(): unknown;
  dispose(): void;
}

export interface RuleOutput {
  readonly port: string;
  readonly message: Message;
}

export interface RuleBatchResult {
  readonly outputs: readonly RuleOutput[];
  /** Messages the rule failed on, with the reason (thrown error, deadline, memory, watchdog). */
  readonly failures: readonly { readonly message: Message; readonly error: string }[];
  readonly logs: readonly { readonly level: 'info' | 'warn' | 'error'; readonly text: string }[];
  /** The rule changed its `state` in this batch. */
  readonly stateChanged?: boolean;
}

export interface RuleSource {
  readonly code: string;
  readonly outputs: readonly string[];
  readonly limits: RuleLimits;
  readonly initialState?: unknown;
  /** Names the sandbox in errors and logs. */
  readonly label: string;
}

/** Compiles rule code into a sandbox; compile errors reject with line and column. */
export interface SandboxService {
  compile(source: RuleSource): Promise<RuleSandbox>;
}

/** One point of a time series: a device's tag at a time. */
export interface SeriesPoint {
  readonly device: string;
  readonly tag: string;
  readonly ts: number;
  /** Numbers are stored as they are; booleans as 0/1; anything else is not a series value. */
  readonly value: number | null;
  readonly quality: Quality;
}

/** The site's history (series, rollups), kept by the store. */
export interface HistoryService {
  /** Buffers points; they are written in batches within a second. */
  write(points: readonly SeriesPoint[]): void;
}

/** An alarm transition as the site's alarm list records it. */
export interface AlarmRecord {
  readonly event: 'raised' | 'cleared';
  readonly code: string;
  readonly device?: string;
  readonly kind?: string;
  readonly severity: 'info' | 'warning' | 'critical';
  readonly value?: number;
  readonly limit?: number;
  readonly text?: Text;
  readonly at: number;
  readonly source: string;
}

/** The site's alarm list: active alarms, history, acknowledgements. */
export interface AlarmService {
  record(alarm: AlarmRecord): void;
}

/** A kind of thing that happened on the site, for the event log. */
export interface SiteEvent {
  readonly kind: string;
  readonly source: string;
  readonly at: number;
  readonly data?: Record<string, unknown>;
}

/** The site's event log (deployments, faults, device state changes, writes). */
export interface EventService {
  append(event: SiteEvent): void;
}

export type { DeviceEntry, DeviceProfile } from '../runtime/model/device-profile';

/** A device's condition as the poller sees it. */
export type DeviceHealth = 'connecting' | 'online' | 'degraded' | 'offline';

/** A tag's value: null when there is none worth giving (quality `bad`). */
export type DeviceValue = number | boolean | string | null;

/**
 * What a device held after one poll round, for the tags a handle asked for. Arrays are
 * parallel to `tags`; a new update (new arrays) comes after every round.
 */
export interface DeviceUpdate {
  readonly device: string;
  /** When the round finished. */
  readonly ts: number;
  readonly health: DeviceHealth;
  /** The same array on every update of a handle. */
  readonly tags: readonly string[];
  readonly values: readonly DeviceValue[];
  /** `good`; `uncertain` for a stale value (polls missed) or a 64-bit integer beyond 2^53; `bad` when there is no value. */
  readonly qualities: readonly Quality[];
  /** When each value was read (for a stale value, its last good read); 0 when never read. */
  readonly readAt: readonly number[];
  /** Which entries this round polled (tags with a slower interval keep their last value). */
  readonly fresh: readonly boolean[];
}

export interface DeviceHealthChange {
  readonly device: string;
  readonly from: DeviceHealth;
  readonly to: DeviceHealth;
  readonly reason: Text;
  readonly at: number;
}

/** What a profile says about a tag, for nodes that label or check values. */
export interface DeviceTagInfo {
  readonly key: string;
  readonly label: Text;
  readonly unit?: string;
  readonly access: 'r' | 'rw';
  readonly min?: number;
  readonly max?: number;
  readonly deadband?: number;
}

export interface DeviceWriteResult {
  readonly device: string;
  readonly tag: string;
  readonly value: DeviceValue;
  /** The registers written, as unsigned 16-bit words, or the coil state. */
  readonly raw: readonly number[] | boolean;
  readonly at: number;
}

export interface DeviceOpenRequest {
  /** Who asks (e.g. `flowId/nodeId`): named in logs and in write events. */
  readonly owner: string;
  readonly devices: readonly DeviceEntry[];
  /** Tag keys every device's profile must have; all tags of each profile when absent or empty. */
  readonly tags?: readonly string[];
  /** false: connect for writes only, do not poll. Default true. */
  readonly poll?: boolean;
  /** Where `devices` and `tags` sit in the caller's config, for error paths. Default `['devices']`, `['tags']`. */
  readonly paths?: { readonly devices?: JsonPath; readonly tags?: JsonPath };
}

/** A node's hold on its devices: polling runs while some handle holds a device. */
export interface DeviceHandle {
  /** Device names, in the order of the request. */
  readonly devices: readonly string[];
  /** Called after every poll round of each device; returns an unsubscribe function. */
  onUpdate(listener: (update: DeviceUpdate) => void): () => void;
  onHealth(listener: (change: DeviceHealthChange) => void): () => void;
  /** The values after the device's last round, for a node starting while polling runs. */
  latest(device: string): DeviceUpdate | undefined;
  health(device: string): DeviceHealth | undefined;
  tagInfo(device: string, tag: string): DeviceTagInfo | undefined;
  /**
   * Writes one tag, range-checked against the profile, ahead of pending polls. Rejects with a
   * {@link NodeError} saying why (unknown tag, read-only, out of range, device error).
   */
  write(device: string, tag: string, value: DeviceValue): Promise<DeviceWriteResult>;
  /** Lets go of the devices; polling stops once no handle holds them (after a short linger). */
  close(): void;
}

/**
 * Modbus devices: polling, values with quality, health, writes. `open` throws a
 * {@link NodeConfigError} (path under `paths`) for an unknown profile, a tag a profile lacks, or
 * devices that disagree about a shared line.
 */
export interface DeviceService {
  open(request: DeviceOpenRequest): DeviceHandle;
}

/**
 * The node's own state, kept across restarts and redeploys while the node keeps its flow and
 * node id. Values are JSON.
 */
export interface NodeStateService {
  load(): unknown;
  /** Keeps the latest value; it is written within a second, and when the node stops. */
  save(value: unknown): void;
}

/** A command from the platform, received on an uplink endpoint. */
export interface UplinkCommand {
  readonly endpoint: string;
  readonly topic: string;
  readonly payload: unknown;
  readonly receivedAt: number;
}

/**
 * The site's link to its cloud platform. Only what the bundle's uplink policy names may leave:
 * anything else is refused (and counted), never queued.
 */
export interface UplinkService {
  /**
   * Queues messages for an endpoint; each goes only if a stream of the policy lets its series
   * (device, topic as tag) go there at this granularity. Queued messages are stored and sent
   * in order, at least once, however long the link is down.
   */
  send(endpoint: string, msgs: readonly Message[], granularity: 'raw' | '1m' | '1h' | 'kpi'): { queued: number; refused: number; reason?: Text };
  /** Commands on a topic the endpoint allows (the policy's `commands`); throws NodeError if it does not. */
  subscribe(endpoint: string, topic: string, listener: (command: UplinkCommand) => void): () => void;
  /** The kind of an endpoint of the policy, or undefined when the policy has no such endpoint. */
  endpointKind(endpoint: string): 'mqtt' | 'http' | undefined;
  /** Whether the policy lets commands in on this topic (filter) at this endpoint. */
  acceptsCommands(endpoint: string, topic: string): boolean;
}

/** Services the site offers. A node asks for what it needs with {@link requireService}. */
export interface NodeServices {
  readonly sandbox?: SandboxService;
  /** Flow-wide defaults for rule limits. */
  readonly ruleLimits?: RuleLimits;
  readonly history?: HistoryService;
  readonly alarms?: AlarmService;
  readonly events?: EventService;
  readonly state?: NodeStateService;
  readonly uplink?: UplinkService;
  readonly devices?: DeviceService;
}

/** Everything a node may touch, handed to `create`. */
export interface NodeContext {
  readonly flowId: string;
  readonly nodeId: string;
  readonly clock: Clock;
  readonly log: NodeLogger;
  readonly services: NodeServices;
  /**
   * Sends on an output port. Returns false when a downstream queue is full: a source should
   * then wait for {@link NodeContext.whenReady} before sending more.
   */
  send(port: string, msg: Message | readonly Message[]): boolean;
  /** Resolves when every downstream queue has room again. */
  whenReady(): Promise<void>;
  /** A new frozen message; `ts` defaults to the clock's now. */
  message(fields: MessageFields): Message;
  /** Shows a state and a short text on the node (canvas badge, status API). */
  status(state: NodeState, text?: string): void;
  /** Publishes an event for live views (debug panel, console), e.g. `emit('debug', {...})`. */
  emit(kind: string, data: unknown): void;
  /**
   * Reports a failure the node caught itself (e.g. in a batch, or an async device call):
   * counted, shown on the node, and sent on its `error` port when that is wired. Throw or
   * pass a {@link NodeError} to give the reason in both languages.
   */
  reportError(error: unknown, input?: Message): void;
}

/** A run-time failure with its text in both languages; `message` is the English one. */
export class NodeError extends Error {
  constructor(readonly text: Text) {
    super(text.en);
    this.name = 'NodeError';
  }
}

/**
 * Thrown by `create` when the config is wrong in a way the schema cannot see, such as rule
 * code that does not compile. `path` is relative to the node's config.
 */
export class NodeConfigError extends Error {
  constructor(readonly path: JsonPath, readonly text: Text, readonly code = 'invalid-config') {
    super(text.en);
    this.name = 'NodeConfigError';
  }
}

/** What `create` returns: the handlers the engine calls. All optional. */
export interface NodeHandlers {
  start?(): void | Promise<void>;
  onMessage?(msg: Message, port: string): void | Promise<void>;
  /** When present the engine hands queued messages over in batches (same input port). */
  onBatch?(msgs: readonly Message[], port: string): void | Promise<void>;
  stop?(): void | Promise<void>;
  /** Data for the status and debug views, e.g. the debug node's ring buffer. */
  inspect?(): unknown;
}

export interface NodeRuntime<C> {
  create(config: C, ctx: NodeContext): NodeHandlers | Promise<NodeHandlers>;
}

/** A node type: its definition and its runtime part, as registered in `nodes/index.ts`. */
export interface NodeType<C = unknown> {
  readonly definition: NodeDefinition<C>;
  readonly runtime: NodeRuntime<C>;
}

/** A node type of any config, as lists and registries hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- config types differ per node; each is checked where it is defined
export type AnyNodeType = NodeType<any>;

/** Pairs a definition with its runtime; `create` gets the parsed, typed config. */
export function defineNode<S extends z.ZodType>(
  definition: NodeDefinition<z.infer<S>> & { readonly config: S },
  create: (config: z.infer<S>, ctx: NodeContext) => NodeHandlers | Promise<NodeHandlers>,
): NodeType<z.infer<S>> {
  return { definition, runtime: { create } };
}

/** Returns a service or throws a clear error naming the node and the missing service. */
export function requireService<K extends keyof NodeServices>(ctx: NodeContext, name: K): NonNullable<NodeServices[K]> {
  const service = ctx.services[name];
  if (service === undefined) throw new Error(`node "${ctx.nodeId}" needs the "${String(name)}" service, which this runtime does not offer`);
  return service as NonNullable<NodeServices[K]>;
}

/** A port with its label. */
export function port(name: string, zh: string, en: string): PortSpec {
  return { name, label: { zh, en } };
}

/** Reads a dotted property path (`payload.temp`, `topic`) from a message. */
export function readPath(msg: Message, path: string): unknown {
  let value: unknown = msg;
  for (const part of path.split('.')) {
    // Own properties only: `payload.constructor` is not data.
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
