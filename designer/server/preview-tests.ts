/**
 * A template's scenario tests, run for the studio (the authoring UI's "run tests"): the same
 * runner as `kaiwu test-template` (runtime/scenario), one run at a time in the whole studio so
 * a 2-core machine keeps answering, with a short queue behind it. The answer is the runner's
 * report, trimmed so it stays small: outputs as counts and their last messages, alarms and node
 * errors capped.
 */
import { pino } from 'pino';
import type { AlarmRecord } from '../../nodes/sdk';
import type { NodeCatalog, Problem, ProfileLookup, Template, Text } from '../../runtime/model';
import type { ExpectationResult, NodeErrorSeen, ScenarioTestResult } from '../../runtime/scenario';
import { runScenarioTests } from '../../runtime/scenario';
import { createSandboxPool } from '../../runtime/sandbox/pool';
import { ApiError } from '../../runtime/server/api-error';
import { messageView } from './preview-run';
import { runtimeRegistry } from './preview-sessions';

const MAX_ALARMS = 200;
const MAX_NODE_ERRORS = 50;
const LAST_MESSAGES = 10;
const MAX_PAYLOAD_BYTES = 4_096;

export interface TestResultView {
  readonly key: string;
  readonly title: Text;
  readonly passed: boolean;
  /** What kept the test from running (an instance that does not resolve, a deploy that fails). */
  readonly problems: readonly Problem[];
  /** Each with `passed`, `title`, `expected` and `actual` texts (zh/en); the run's own "no node errors" check last. */
  readonly expectations: readonly ExpectationResult[];
  readonly alarms: readonly AlarmRecord[];
  readonly alarmsTotal: number;
  readonly nodeErrors: readonly NodeErrorSeen[];
  readonly nodeErrorsTotal: number;
  /** What the watched nodes sent: how many, and the last few. */
  readonly outputs: readonly { scenario: string; node: string; port: string; count: number; last: readonly Record<string, unknown>[] }[];
  readonly startAt: number;
  readonly durationMs: number;
  readonly elapsedMs: number;
  readonly devices: Readonly<Record<string, readonly string[]>>;
}

export interface TestReportView {
  readonly template: string;
  readonly passed: boolean;
  readonly tests: readonly TestResultView[];
  readonly elapsedMs: number;
}

export interface TemplateTests {
  /** Runs the tests (all, or `only`), after any run already going; keys must be the template's (check first). */
  run(template: Template, only?: readonly string[]): Promise<TestReportView>;
}

export interface TemplateTestsOptions {
  readonly registry: NodeCatalog;
  readonly profiles: ProfileLookup;
  /** Runs waiting behind the current one before more are refused (503 tests-busy). Default 4. */
  readonly maxWaiting?: number;
}

function view(r: ScenarioTestResult): TestResultView {
  return {
    key: r.key, title: r.title, passed: r.passed, problems: r.problems, expectations: r.expectations,
    alarms: r.alarms.slice(0, MAX_ALARMS), alarmsTotal: r.alarms.length,
    nodeErrors: r.nodeErrors.slice(0, MAX_NODE_ERRORS), nodeErrorsTotal: r.nodeErrors.length,
    outputs: r.outputs.map((o) => ({ scenario: o.scenario, node: o.node, port: o.port, count: o.messages.length, last: o.messages.slice(-LAST_MESSAGES).map((m) => messageView(m, MAX_PAYLOAD_BYTES)) })),
    startAt: r.startAt, durationMs: r.durationMs, elapsedMs: Math.round(r.elapsedMs), devices: r.devices,
  };
}

export function createTemplateTests(o: TemplateTestsOptions): TemplateTests {
  const registry = runtimeRegistry(o.registry);
  const maxWaiting = o.maxWaiting ?? 4;
  let tail: Promise<unknown> = Promise.resolve();
  let waiting = 0;

  return {
    async run(template, only) {
      if (waiting >= maxWaiting) {
        throw new ApiError(503, 'tests-busy', {
          zh: '场景测试排队已满（同一时间只运行一组），请稍后再试',
          en: 'too many scenario test runs are waiting (one runs at a time); try again later',
        });
      }
      waiting++;
      const turn = tail.catch(() => undefined).then(async () => {
        waiting--;
        const t0 = performance.now();
        const pool = createSandboxPool({ workers: 1, logger: pino({ level: 'silent' }) });
        try {
          const report = await runScenarioTests(template, { registry, profiles: o.profiles, sandbox: pool, ...(only && only.length > 0 ? { only } : {}) });
          return { template: report.template, passed: report.passed, tests: report.tests.map(view), elapsedMs: Math.round(performance.now() - t0) };
        } finally {
          await pool.close();
        }
      });
      tail = turn;
      return turn;
    },
  };
}
