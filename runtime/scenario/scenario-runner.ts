/**
 * Runs a template's scenario tests: each test becomes an instance of the template (devices named
 * `<group>-01` …, its parameters over the defaults, its X scenarios), resolved exactly as a site's
 * would be, deployed in a real engine on a virtual clock with simulated devices and a real
 * (temporary) store, run for its duration in a fraction of the time, and checked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { NodeRegistry } from '../../nodes/registry';
import type { AlarmRecord, AlarmService, Message, SandboxService } from '../../nodes/sdk';
import type { EngineEvent } from '../engine/engine';
import { EngineDeployError, createEngine } from '../engine/engine';
import { createVirtualClock } from '../engine/clock';
import type { InstanceInput, Problem, ProfileLookup, ScenarioTest, Template, Text } from '../model';
import { DEFAULT_TEST_START, problem, resolveInstance, templateRef, testDeviceCount, testDeviceName, testStartMs, testTimeMs } from '../model';
import { catalogOf } from '../devices/profile-catalog';
import { deviceSeed } from '../devices/simulator/machine';
import { createSandboxPool } from '../sandbox/pool';
import type { Store } from '../store';
import { createStore } from '../store';
import type { DeviceScriptEvent } from './device-script';
import type { ExpectationResult, RunRecord } from './expectations';
import { checkExpectation } from './expectations';
import type { ProbedMessage } from './output-probe';
import { attachProbes, createProbeType, withProbe } from './output-probe';
import type { SimulatedDeviceSpec } from './simulated-devices';
import { createSimulatedDevices } from './simulated-devices';

export type { ExpectationResult } from './expectations';

export interface ScenarioRunOptions {
  readonly registry: NodeRegistry;
  readonly profiles: ProfileLookup;
  /** Keys of the tests to run; default every test. */
  readonly only?: readonly string[];
  /** A sandbox for rules to share; default one pool for the whole run. */
  readonly sandbox?: SandboxService;
  /** Told of each test as it finishes (a CLI prints progress). */
  readonly onResult?: (result: ScenarioTestResult) => void;
}

export interface NodeErrorSeen {
  readonly flowId: string;
  readonly nodeId: string;
  readonly error: string;
  readonly at: number;
}

export interface OutputLog {
  readonly scenario: string;
  readonly node: string;
  readonly port: string;
  readonly messages: readonly Message[];
}

export interface ScenarioTestResult {
  readonly key: string;
  readonly title: Text;
  readonly passed: boolean;
  /** What kept the test from running at all (an instance that does not resolve, a deploy that fails). */
  readonly problems: readonly Problem[];
  /** Every expectation with what was expected and what happened; the run's own check (no node errors) last. */
  readonly expectations: readonly ExpectationResult[];
  /** Every alarm transition recorded, in order. */
  readonly alarms: readonly AlarmRecord[];
  /** What the watched nodes sent. */
  readonly outputs: readonly OutputLog[];
  readonly nodeErrors: readonly NodeErrorSeen[];
  readonly startAt: number;
  readonly durationMs: number;
  /** Real time the run took, ms. */
  readonly elapsedMs: number;
  /** Device names per group, as the test's instance had them. */
  readonly devices: Readonly<Record<string, readonly string[]>>;
}

export interface ScenarioRunReport {
  readonly template: string;
  readonly passed: boolean;
  readonly tests: readonly ScenarioTestResult[];
  /** Keys asked for in `only` that the template has no test for. */
  readonly unknown: readonly string[];
}

/** Simulated time between store flushes (and turns of the real event loop). */
const CHUNK_MS = 3_600_000;

/** FNV-1a, so groups sharing a seed still get machines of their own. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The instance a test runs: what an enterprise would write, with simulated devices. */
export function testInstance(template: Template, test: ScenarioTest): InstanceInput {
  const devices: Record<string, Record<string, unknown>[]> = {};
  let port = 15020;
  for (const g of template.deviceGroups) {
    const count = testDeviceCount(g, test);
    devices[g.key] = Array.from({ length: count }, (_, i) => ({ name: testDeviceName(g.key, i + 1, count), host: '127.0.0.1', port: port++, unitId: 1 }));
  }
  return {
    schemaVersion: 1,
    template: templateRef(template),
    enterprise: `场景测试 ${test.key} / scenario test ${test.key}`,
    site: 'scenario-test',
    scenarios: test.scenarios,
    parameters: test.parameters,
    devices,
    overrides: [],
  };
}

function failed(test: ScenarioTest, startAt: number, durationMs: number, problems: Problem[]): ScenarioTestResult {
  return { key: test.key, title: test.title, passed: false, problems, expectations: [], alarms: [], outputs: [], nodeErrors: [], startAt, durationMs, elapsedMs: 0, devices: {} };
}

async function runOne(template: Template, test: ScenarioTest, o: ScenarioRunOptions, sandbox: SandboxService): Promise<ScenarioTestResult> {
  const startAt = testStartMs(test.startAt ?? DEFAULT_TEST_START) ?? testStartMs(DEFAULT_TEST_START)!;
  const durationMs = testTimeMs(test.durationMs) ?? 0;
  const resolved = resolveInstance(template, testInstance(template, test), o.profiles, o.registry);
  if (!resolved.ok) return failed(test, startAt, durationMs, resolved.problems);
  const content = resolved.content;

  // Probes on the nodes the test watches.
  const watched = new Map<string, string[]>();
  for (const e of test.expect) if (e.kind === 'output') watched.set(e.scenario, [...(watched.get(e.scenario) ?? []), e.node]);
  const received = new Map<string, Message[]>();
  const probeType = createProbeType((key, msg) => {
    const list = received.get(key);
    if (list) list.push(msg);
    else received.set(key, [msg]);
  });
  const registry = withProbe(o.registry, probeType);
  const probesByScenario = new Map<string, { key: string; node: string; port: string }[]>();
  const flows = content.flows.map((flow, i) => {
    const scenario = content.scenarios[i]!;
    const nodes = watched.get(scenario);
    if (!nodes) return flow;
    const attached = attachProbes(flow, nodes, o.registry, scenario);
    probesByScenario.set(scenario, attached.probes);
    return attached.flow;
  });

  // Simulated devices: the instance's, in group order, each group seeded on its own.
  const names: Record<string, string[]> = {};
  const specs: SimulatedDeviceSpec[] = [];
  const scripts: DeviceScriptEvent[] = [];
  for (const g of content.devices) {
    const sim = test.devices[g.group];
    const groupSeed = (sim?.seed ?? test.seed ?? 1) ^ hash(g.group);
    names[g.group] = g.entries.map((e) => e.name);
    g.entries.forEach((entry, i) => {
      specs.push({
        entry,
        seed: deviceSeed(groupSeed, i),
        behaviour: sim?.behaviour ?? 'random',
        // A machine steps as finely as its polls read it (every second at least, 10 s at most).
        stepMs: Math.min(10_000, Math.max(1000, sim?.pollMs ?? 1000)),
        ...(sim?.pollMs === undefined ? {} : { pollMs: sim.pollMs }),
      });
    });
    for (const e of sim?.events ?? []) {
      // An event names a device of its own group: by name, by place, or every one of them.
      const targets = e.device === undefined ? names[g.group]! : [typeof e.device === 'number' ? names[g.group]![e.device - 1] : e.device].filter((d): d is string => d !== undefined);
      for (const device of targets) {
        scripts.push({
          at: testTimeMs(e.at) ?? 0,
          device,
          ...(e.forMs === undefined ? {} : { forMs: testTimeMs(e.forMs) ?? 0 }),
          ...(e.state === undefined ? {} : { state: e.state }),
          ...(e.faultCode === undefined ? {} : { faultCode: e.faultCode }),
          ...(e.tag === undefined ? {} : { tag: e.tag }),
          ...(e.value === undefined ? {} : { value: e.value }),
          ...(e.offline ? { offline: true } : {}),
        });
      }
    }
  }
  const track = test.expect.flatMap((e) => (e.kind === 'output' && e.matchesCounter ? [e.matchesCounter.tag] : []));

  const clock = createVirtualClock(startAt);
  // Resolved device entries name their profile by id, as a site's device manager looks them up.
  const catalog = catalogOf([...new Set(content.devices.map((g) => g.profile))].map((id) => o.profiles(id)).filter((p) => p !== undefined));
  const devices = createSimulatedDevices({ clock, devices: specs, scripts, track, profiles: catalog });
  const dir = mkdtempSync(join(tmpdir(), 'kaiwu-scenario-'));
  let store: Store | undefined;
  const alarms: AlarmRecord[] = [];
  const nodeErrors: NodeErrorSeen[] = [];
  try {
    // The store keeps real time for its own housekeeping; the run flushes it between chunks.
    store = createStore({ file: join(dir, 'site.db') });
    const site = store;
    const alarmList: AlarmService = {
      record(a) {
        alarms.push(a);
        site.record(a);
      },
    };
    const engine = createEngine({
      registry,
      clock,
      logger: pino({ level: 'silent' }),
      sandbox,
      services: { history: site, alarms: alarmList, events: site, devices },
    });
    const off = engine.subscribe((ev: EngineEvent) => {
      if (ev.type === 'node-error') nodeErrors.push({ flowId: ev.flowId, nodeId: ev.nodeId, error: ev.error, at: ev.at });
    });
    try {
      await engine.deploy(flows);
    } catch (err) {
      off();
      if (err instanceof EngineDeployError) return failed(test, startAt, durationMs, [...err.problems]);
      throw err;
    }
    try {
      const settle = () => engine.idle();
      for (let done = 0; done < durationMs;) {
        const step = Math.min(CHUNK_MS, durationMs - done);
        await clock.advance(step, settle);
        done += step;
        site.flush();
        // Let the real event loop breathe: the store's and the sandbox's own work.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await engine.idle();
    } finally {
      off();
      await engine.stop({ timeoutMs: 2_000, drainMs: 1_000 });
      devices.close();
    }
    site.flush();

    const end = startAt + durationMs;
    const scenarioKeys = new Set(content.scenarios);
    const run: RunRecord = {
      start: startAt,
      end,
      alarms,
      outputs(scenario, node) {
        const probes = probesByScenario.get(scenario)?.filter((p) => p.node === node) ?? [];
        const out: ProbedMessage[] = [];
        for (const p of probes) for (const msg of received.get(p.key) ?? []) out.push({ node, port: p.port, msg });
        return out.sort((a, b) => a.msg.ts - b.msg.ts);
      },
      ports: (scenario, node) => probesByScenario.get(scenario)?.filter((p) => p.node === node).map((p) => p.port) ?? [],
      history(device, tag, from, to) {
        return site.querySeries({ device, tag, from, to: to + 1, maxPoints: 100_000 }).points;
      },
      valueAt: (device, tag, at) => devices.valueAt(device, tag, at),
    };
    const expectations: ExpectationResult[] = test.expect.map((e, i) => {
      if (e.kind === 'output' && !scenarioKeys.has(e.scenario)) {
        return {
          index: i, kind: 'output', passed: false,
          title: { zh: `场景 ${e.scenario} 节点 ${e.node}`, en: `node ${e.node} of scenario ${e.scenario}` },
          expected: { zh: '场景在本测试中运行', en: 'the scenario runs in this test' },
          actual: { zh: `未运行（本测试运行：${content.scenarios.join('、')}）`, en: `it does not (this test runs: ${content.scenarios.join(', ')})` },
        };
      }
      return checkExpectation(e, i, run);
    });
    if (!test.allowNodeErrors) {
      const first = nodeErrors.slice(0, 3).map((n) => `${n.flowId}/${n.nodeId}: ${n.error}`);
      expectations.push({
        index: -1, kind: 'node-errors', passed: nodeErrors.length === 0,
        title: { zh: '节点无错误', en: 'no node errors' },
        expected: { zh: '0 个', en: 'none' },
        actual: { zh: `${nodeErrors.length}${first.length ? `：${first.join('；')}` : ''}`, en: `${nodeErrors.length}${first.length ? `: ${first.join('; ')}` : ''}` },
      });
    }
    const outputs: OutputLog[] = [];
    for (const [scenario, probes] of probesByScenario) {
      for (const p of probes) outputs.push({ scenario, node: p.node, port: p.port, messages: received.get(p.key) ?? [] });
    }
    return {
      key: test.key,
      title: test.title,
      passed: expectations.every((x) => x.passed),
      problems: [],
      expectations,
      alarms,
      outputs,
      nodeErrors,
      startAt,
      durationMs,
      elapsedMs: 0,
      devices: names,
    };
  } finally {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the scenario tests of a template (all, or those in `only`) one after the other and
 * reports each: passed or not, every expectation with expected and actual, the alarms and the
 * watched outputs. A test that cannot run (its instance does not resolve, its flows do not
 * deploy) fails with the problems.
 */
export async function runScenarioTests(template: Template, o: ScenarioRunOptions): Promise<ScenarioRunReport> {
  const only = o.only && o.only.length > 0 ? new Set(o.only) : undefined;
  const tests = template.tests.filter((t) => !only || only.has(t.key));
  const unknown = only ? [...only].filter((k) => !template.tests.some((t) => t.key === k)) : [];
  const pool = o.sandbox ? undefined : createSandboxPool({ workers: 1, logger: pino({ level: 'silent' }) });
  const sandbox = o.sandbox ?? pool!;
  const results: ScenarioTestResult[] = [];
  try {
    for (const test of tests) {
      let result: ScenarioTestResult;
      const t0 = performance.now();
      try {
        result = await runOne(template, test, o, sandbox);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        result = failed(test, 0, 0, [problem('scenario-test-crashed', ['tests', template.tests.indexOf(test)], { zh: `测试无法运行：${why}`, en: `the test could not run: ${why}` })]);
      }
      result = { ...result, elapsedMs: performance.now() - t0 };
      results.push(result);
      o.onResult?.(result);
    }
  } finally {
    await pool?.close();
  }
  return { template: templateRef(template), passed: unknown.length === 0 && results.every((r) => r.passed), tests: results, unknown };
}
