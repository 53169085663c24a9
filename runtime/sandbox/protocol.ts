import type { RuleLimits } from '../../nodes/sdk';

/** What the pool hands a worker it starts (its `workerData`). */
export interface WorkerStart {
  readonly wasmModule: WebAssembly.Module;
}

/** Why a message failed inside the sandbox; the host counts the non-`error` kinds as faults. */
export type FailureKind = 'error' | 'deadline' | 'memory' | 'crash' | 'suspended';

export type HostToWorker =
  | { op: 'create'; sid: number; code: string; ports: readonly string[]; limits: RuleLimits; state: string | null }
  | { op: 'run'; sid: number; rid: number; input: string; payloads: ArrayBuffer | null; count: number }
  | { op: 'dispose'; sid: number };

export interface CompileError {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export type WorkerToHost =
  | { op: 'ready' }
  | { op: 'alive' }
  | { op: 'created'; sid: number; error?: CompileError }
  | {
      op: 'result';
      rid: number;
      /** JSON from the guest driver: output columns, rule failures, logs, new state. */
      body: string | null;
      /** Failures the worker decided itself (deadline, memory, crash), as [index, kind, text]. */
      hostFailures: [number, FailureKind, string][];
      /** Output payloads as float64 when all were finite numbers (the body then has none). */
      payloads: ArrayBuffer | null;
      /** The rule's state as JSON when the batch changed it. */
      state: string | null;
      /** Set when the sandbox was rebuilt during or after this batch (memory, crash). */
      recycled?: string;
    };
