// Shapes of the studio's preview API (designer/server/README.md, "Preview and debug · 预览与调试").
import type { AlarmRecord } from '../../../nodes/sdk';
import type { ClockView, DeviceStateView, NodeStatsView, PreviewDevice, PreviewNode } from '../../server/preview-run';

export type { AlarmRecord } from '../../../nodes/sdk';
export type { ClockView, DeviceStateView, NodeStatsView, PreviewDevice, PreviewNode, PreviewTag } from '../../server/preview-run';

/** What `POST /api/previews` takes. */
export interface PreviewRequest {
  /** `id@version`, or a whole template document (an unsaved draft). */
  readonly template?: string | Record<string, unknown>;
  readonly instance?: string;
  readonly scenarios?: readonly string[];
  readonly parameters?: Record<string, unknown>;
  readonly devices?: Record<string, number>;
  readonly speed?: number;
  readonly behaviour?: 'random' | 'steady';
  readonly seed?: number;
}

/** The start answer, also the first part of a snapshot. */
export interface PreviewInfo {
  readonly id: string;
  readonly replaced?: string | null;
  readonly source: { readonly kind: 'template' | 'draft' | 'instance'; readonly template: string; readonly instance?: string };
  readonly scenarios: readonly string[];
  readonly parameters: Record<string, unknown>;
  readonly speed: number;
  readonly behaviour: 'random' | 'steady';
  readonly startedAt: string;
  readonly idleStopMs: number;
  readonly events: string;
  readonly nodes: readonly PreviewNode[];
  readonly devices: readonly PreviewDevice[];
}

/** `GET /api/previews/:id` and the `preview` event: the start answer plus what is going on now. */
export interface PreviewSnapshot extends PreviewInfo {
  readonly clock: ClockView;
  readonly stats: readonly NodeStatsView[];
  readonly deviceStates: readonly DeviceStateView[];
  readonly alarms: { readonly active: readonly AlarmRecord[]; readonly recent: readonly AlarmRecord[] };
}

export interface PreviewMessage {
  readonly ts: number;
  readonly topic?: string;
  readonly payload?: unknown;
  readonly device?: string;
  readonly quality?: string;
}

export interface MessageEvent {
  readonly flowId: string;
  readonly nodeId: string;
  readonly port: string;
  readonly at: number;
  readonly msg: PreviewMessage;
  readonly skipped?: number;
}

export interface DebugEvent {
  readonly flowId: string;
  readonly nodeId: string;
  readonly at: number;
  readonly data: unknown;
  readonly skipped?: number;
}

export interface NodeStateEvent {
  readonly flowId: string;
  readonly nodeId: string;
  readonly state: string;
  readonly text?: string;
  readonly at: number;
}

export interface NodeErrorEvent {
  readonly flowId: string;
  readonly nodeId: string;
  readonly error: string;
  readonly input?: PreviewMessage;
  readonly at: number;
}

export interface StoppedEvent {
  readonly reason: 'deleted' | 'replaced' | 'idle' | 'closed';
  readonly at: number;
}

/** The named events of the stream. */
export const PREVIEW_EVENTS = ['preview', 'stats', 'devices', 'message', 'debug', 'log', 'node-state', 'node-error', 'alarm', 'stopped'] as const;
export type PreviewEventName = (typeof PREVIEW_EVENTS)[number];

/** A scenario test report (`POST …/tests/run`, `POST /api/template-tests`). */
export type { TestReportView as TestReport, TestResultView as TestResult } from '../../server/preview-tests';
export type { ExpectationResult } from '../../../runtime/scenario/expectations';
