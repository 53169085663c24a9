/**
 * The preview and debug API (designer/server/README.md, "Preview and debug"): start a preview of
 * a template version, a draft or an instance against simulated devices, watch it as Server-Sent
 * Events, inject messages, script the simulated machines, stop it; and run a template's scenario
 * tests. The routes join the studio's one table in routes.ts.
 */
import { z } from 'zod';
import type { Logger } from 'pino';
import type { InstanceInput, JsonPath, NodeCatalog, Problem, ProfileLookup, Template, Text } from '../../runtime/model';
import { QUALITIES, checkTemplate, formatPath, parseTemplateRef, problem, resolveInstance, templateRef } from '../../runtime/model';
import { closest } from '../../runtime/model/similar';
import { EngineDeployError } from '../../runtime/engine/engine';
import { ApiError } from '../../runtime/server/api-error';
import { notFound, summarise, under, unprocessable } from './errors';
import type { DeviceCommand, PreviewLimits, PreviewTag } from './preview-run';
import type { PreviewPlan, PreviewSession, Previews } from './preview-sessions';
import { createPreviews } from './preview-sessions';
import { streamPreview } from './preview-stream';
import type { TemplateTests } from './preview-tests';
import { createTemplateTests } from './preview-tests';
import type { Role } from './roles';
import type { StudioRoute } from './route-table';
import { guarded } from './route-table';
import type { Actor } from './roles';
import type { Instances } from './instances';
import type { TemplateStore } from './template-store';

/** Template authors and configurers preview; an enterprise only its own instances. */
const PREVIEWERS: readonly Role[] = ['admin', 'contractor', 'enterprise'];
/** Scenario tests are the template author's tool. */
const TEST_RUNNERS: readonly Role[] = ['admin', 'contractor'];

/** Largest injected message, as JSON. */
const MAX_INJECT_BYTES = 64 * 1024;

export interface PreviewServices {
  readonly sessions: Previews;
  readonly tests: TemplateTests;
  readonly profiles: ProfileLookup;
  readonly catalog: NodeCatalog;
}

export function createPreviewServices(o: { catalog: NodeCatalog; profiles: ProfileLookup; logger: Logger; now?: () => number; limits?: Partial<PreviewLimits> }): PreviewServices {
  return {
    sessions: createPreviews({ registry: o.catalog, profiles: o.profiles, logger: o.logger, ...(o.now ? { now: o.now } : {}), ...(o.limits ? { limits: o.limits } : {}) }),
    tests: createTemplateTests({ registry: o.catalog, profiles: o.profiles }),
    profiles: o.profiles,
    catalog: o.catalog,
  };
}

/** What the preview routes use of the studio. */
export interface PreviewRouteServices {
  readonly preview: PreviewServices;
  readonly templates: TemplateStore;
  readonly instances: Instances;
}

const Json = z.record(z.string(), z.unknown());
const Only = z.array(z.string().min(1).max(64)).max(200).optional();

const WHAT: Text = { zh: '预览', en: 'preview' };
const isAuthor = (a: Actor) => a.role === 'contractor' || a.role === 'admin';
const ownInstancesOnly = () => new ApiError(403, 'preview-own-instances', {
  zh: '企业只能预览本企业的实例；示范样本请先复制（POST /api/instances/:id/copy）',
  en: 'an enterprise previews its own instances only; copy a sample firm first (POST /api/instances/:id/copy)',
});

const at = (path: JsonPath, code: string, text: Text, extra: Partial<Pick<Problem, 'severity'>> = {}) => problem(code, path, text, extra);

/** Problems of resolving the preview's copy, pointed at the request where the request gave the value. */
function requestProblems(problems: readonly Problem[], fromInstance: boolean): Problem[] {
  return problems.map((p) => {
    const [head, second] = p.path;
    let path: JsonPath = p.path;
    if (head === 'parameters' || (head === 'scenarios' && typeof second === 'number')) path = ['body', ...p.path];
    else if (head === 'devices' && !fromInstance) path = ['body', 'devices', ...(second === undefined ? [] : [second])];
    else if (fromInstance) path = ['instance', ...p.path];
    return path === p.path ? p : { ...p, path, at: formatPath(path) };
  });
}

/** Deploy problems name flows by index: name them by scenario instead. */
function deployProblems(problems: readonly Problem[], scenarios: readonly string[]): Problem[] {
  return problems.map((p) => {
    if (p.path[0] !== 'flows' || typeof p.path[1] !== 'number') return p;
    const path: JsonPath = ['scenarios', scenarios[p.path[1]] ?? p.path[1], 'flow', ...p.path.slice(2)];
    return { ...p, path, at: formatPath(path) };
  });
}

const PreviewBody = (limits: PreviewLimits) => z.strictObject({
  /** `id@version` of a published version (or a draft, for authors), or a whole template document (a draft not yet saved). */
  template: z.union([z.string().max(100), Json]).optional(),
  /** An instance id: its template version, chosen scenarios, parameters and devices (simulated). */
  instance: z.string().min(1).max(100).optional(),
  /** X scenarios to run besides the N ones; default: every X scenario of a template, the chosen ones of an instance. */
  scenarios: z.array(z.string().min(1).max(64)).max(100).optional(),
  /** Over the template's defaults (or the instance's values). */
  parameters: Json.optional(),
  /** Simulated devices per device group (default: the group's minimum, at least 1); or an instance id (as `instance`). */
  devices: z.union([z.record(z.string(), z.number().int().min(1).max(limits.maxDevices)), z.string().min(1).max(100)]).optional(),
  /** How much faster than the wall clock the preview's clock runs. Default 1 (real time). */
  speed: z.number().min(1).max(limits.maxSpeed).default(1),
  /** `random`: machines run, idle and fault as their profile says; `steady`: they run until scripted. */
  behaviour: z.enum(['random', 'steady']).default('random'),
  seed: z.number().int().min(0).max(0xffff_ffff).default(1),
}).superRefine((b, ctx) => {
  if (b.template === undefined && b.instance === undefined && typeof b.devices !== 'string') {
    ctx.addIssue({ code: 'custom', path: ['template'], message: 'give a template ("id@version" or a template document) or an instance id', params: { zh: '请给出模板（"id@版本" 或模板全文）或实例 id（instance）' } });
  }
  if (b.instance !== undefined && typeof b.devices === 'string' && b.devices !== b.instance) {
    ctx.addIssue({ code: 'custom', path: ['devices'], message: 'names another instance than "instance"', params: { zh: '与 instance 给出的实例不同' } });
  }
});

const MessageSchema = z.strictObject({
  topic: z.string().max(1000).optional(),
  payload: z.json().optional(),
  device: z.string().min(1).max(200).optional(),
  quality: z.enum(QUALITIES as ['good', 'bad', 'uncertain']).optional(),
  /** ms since the epoch; default the preview's now. */
  ts: z.number().int().min(0).optional(),
}).superRefine((m, ctx) => {
  if (m.payload !== undefined && (JSON.stringify(m.payload)?.length ?? 0) > MAX_INJECT_BYTES) {
    ctx.addIssue({ code: 'custom', path: ['payload'], message: `larger than ${MAX_INJECT_BYTES / 1024} KB as JSON`, params: { zh: `JSON 超过 ${MAX_INJECT_BYTES / 1024} KB` } });
  }
});

const InjectBody = z.strictObject({
  flowId: z.string().min(1).max(200),
  nodeId: z.string().min(1).max(200),
  /** An input port of the node; default its first. */
  port: z.string().min(1).max(100).optional(),
  message: MessageSchema,
});

const DeviceBody = z.strictObject({
  /** Hold the machine in a state (`fault` with `faultCode`: the stop cause fault-code tags show); `auto` lets it go again. */
  state: z.enum(['running', 'idle', 'fault', 'auto']).optional(),
  faultCode: z.number().int().min(1).optional(),
  /** Make a tag show `value` (the model goes on underneath); `value: null` lets it go. */
  tag: z.string().min(1).max(100).optional(),
  value: z.union([z.number(), z.boolean(), z.string().max(1000), z.null()]).optional(),
  /** The device stops answering (true) or answers again (false). */
  offline: z.boolean().optional(),
}).superRefine((b, ctx) => {
  const kinds = [b.state !== undefined, b.tag !== undefined, b.offline !== undefined].filter(Boolean).length;
  if (kinds !== 1) ctx.addIssue({ code: 'custom', path: [], message: 'do one thing: "state", "tag" with "value", or "offline"', params: { zh: '一次只做一件事：state（状态）、tag 配 value（点位）或 offline（离线）' } });
  if (b.tag !== undefined && b.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'the value the tag shows (null lets it go)', params: { zh: '点位要显示的值（null 表示放开）' } });
  if (b.value !== undefined && b.tag === undefined) ctx.addIssue({ code: 'custom', path: ['tag'], message: 'value belongs to a tag; name the tag', params: { zh: 'value 用于点位，请给出 tag' } });
  if (b.faultCode !== undefined && b.state !== 'fault') ctx.addIssue({ code: 'custom', path: ['faultCode'], message: 'faultCode goes with state "fault"', params: { zh: 'faultCode 只用于 state 为 "fault"' } });
});

function checkValue(tag: PreviewTag, value: number | boolean | string): Text | undefined {
  if (tag.type === 'bool') return typeof value === 'boolean' || value === 0 || value === 1 ? undefined : { zh: `点位 ${tag.key} 是开关量：应为 true 或 false`, en: `tag ${tag.key} is a bool: true or false` };
  if (tag.type === 'string') return typeof value === 'string' ? undefined : { zh: `点位 ${tag.key} 是文字：应为字符串`, en: `tag ${tag.key} is a string: give text` };
  return typeof value === 'number' && Number.isFinite(value) ? undefined : { zh: `点位 ${tag.key} 是数值（${tag.type}）：应为数字`, en: `tag ${tag.key} is a number (${tag.type}): give a number` };
}

function summary(s: PreviewSession, limits: PreviewLimits) {
  return {
    id: s.id,
    source: s.source,
    scenarios: s.scenarios,
    parameters: s.parameters,
    speed: s.speed,
    behaviour: s.behaviour,
    startedAt: new Date(s.startedAt).toISOString(),
    idleStopMs: limits.idleMs,
    events: `/api/previews/${s.id}/events`,
    nodes: s.run.nodes,
    devices: s.run.devices,
  };
}

function snapshot(s: PreviewSession, limits: PreviewLimits) {
  return { ...summary(s, limits), clock: s.run.clock(), stats: s.run.stats(), deviceStates: s.run.deviceStates(), alarms: s.run.alarms() };
}

/** The devices a template preview simulates: `count` per group, named `<group>-01` … as scenario tests name them. */
function simulatedDevices(t: Template, counts: Record<string, number>): Record<string, Record<string, unknown>[]> {
  const devices: Record<string, Record<string, unknown>[]> = {};
  let port = 15020;
  for (const g of t.deviceGroups) {
    const count = counts[g.key] ?? Math.max(1, g.min);
    const width = Math.max(2, String(count).length);
    devices[g.key] = Array.from({ length: count }, (_, i) => ({ name: `${g.key}-${String(i + 1).padStart(width, '0')}`, host: '127.0.0.1', port: port++, unitId: 1 }));
  }
  return devices;
}

function checkOnly(t: Template, only: readonly string[] | undefined): void {
  const keys = t.tests.map((x) => x.key);
  const problems = (only ?? []).flatMap((k, i) => {
    if (keys.includes(k)) return [];
    const guess = closest(k, keys);
    return [at(['body', 'only', i], 'unknown-test', {
      zh: `模板没有测试 “${k}”${guess ? `，是否指 “${guess}”？` : `（有：${keys.join('、') || '无'}）`}`,
      en: `the template has no test "${k}"${guess ? `; did you mean "${guess}"?` : ` (it has: ${keys.join(', ') || 'none'})`}`,
    })];
  });
  if (problems.length > 0) throw unprocessable('unknown-test', summarise({ zh: '没有这个测试', en: 'no such test' }, problems), problems);
}

/** A draft document checked as a save would check it (shape, references, flows), problems under `body.template`. */
function checkDraft(raw: Record<string, unknown>, p: PreviewServices): Template {
  const checked = checkTemplate(raw, p.catalog, p.profiles);
  if (!checked.ok) {
    const problems = under(['body', 'template'], checked.problems);
    throw unprocessable('invalid-template', summarise({ zh: '模板有错误', en: 'the template has problems' }, problems), problems);
  }
  return checked.template;
}

export function previewRoutes(s: PreviewRouteServices): StudioRoute[] {
  const p = s.preview;
  const limits = p.sessions.limits;
  const own = (actor: Actor, id: string): PreviewSession => {
    const session = p.sessions.get(id, actor.id);
    if (!session) throw notFound(WHAT);
    return session;
  };

  /** What to run, from the request: the template, the copy to resolve, where it came from. */
  function plan(actor: Actor, body: z.infer<ReturnType<typeof PreviewBody>>): PreviewPlan {
    const instanceId = body.instance ?? (typeof body.devices === 'string' ? body.devices : undefined);
    const counts = typeof body.devices === 'object' ? body.devices : undefined;
    let template: Template;
    let input: InstanceInput;
    let source: PreviewPlan['source'];
    if (instanceId !== undefined) {
      const view = s.instances.get(actor, instanceId);
      if (actor.role === 'enterprise') {
        const row = s.instances.row(instanceId);
        if (!row || row.sample === 1 || row.enterprise_id !== actor.enterpriseId) throw ownInstancesOnly();
      }
      if (body.template !== undefined && body.template !== view.template) {
        const problems = [at(['body', 'template'], 'wrong-template', { zh: `实例 ${instanceId} 基于 ${view.template}`, en: `instance ${instanceId} is made from ${view.template}` })];
        throw unprocessable('wrong-template', summarise({ zh: '模板与实例不符', en: 'the template does not match the instance' }, problems), problems);
      }
      if (counts) {
        const problems = [at(['body', 'devices'], 'instance-devices', { zh: '实例自带设备（按实例的设备模拟）；不要再给设备数', en: 'an instance brings its own devices (they are simulated); give no counts' })];
        throw unprocessable('instance-devices', summarise({ zh: '请求不正确', en: 'the request is not valid' }, problems), problems);
      }
      const published = s.templates.published(view.template);
      if (!published) throw notFound({ zh: `模板版本 ${view.template}`, en: `template version ${view.template}` });
      template = published;
      const doc = view.instance;
      input = { ...doc, scenarios: body.scenarios ?? doc.scenarios, parameters: { ...doc.parameters, ...body.parameters } };
      source = { kind: 'instance', template: view.template, instance: view.id };
    } else {
      if (actor.role === 'enterprise') throw ownInstancesOnly();
      if (typeof body.template === 'string') {
        const ref = parseTemplateRef(body.template);
        if (!ref) {
          const problems = [at(['body', 'template'], 'invalid-template-ref', { zh: '应为 "模板id@版本"，如 "weaving-waterjet@1.3.0"', en: 'an "id@version", such as "weaving-waterjet@1.3.0"' })];
          throw new ApiError(400, 'invalid-request', summarise({ zh: '请求体不正确', en: 'the request body is not valid' }, problems), problems);
        }
        const found = s.templates.get(ref.id, ref.version, isAuthor(actor));
        if (!found) throw notFound({ zh: `模板版本 ${body.template}`, en: `template version ${body.template}` });
        template = found.template;
        source = { kind: found.summary.status === 'published' ? 'template' : 'draft', template: body.template };
      } else {
        template = checkDraft(body.template!, p);
        source = { kind: 'draft', template: templateRef(template) };
      }
      const groups = template.deviceGroups.map((g) => g.key);
      const problems: Problem[] = [];
      for (const [key, count] of Object.entries(counts ?? {})) {
        const g = template.deviceGroups.find((x) => x.key === key);
        if (!g) {
          const guess = closest(key, groups);
          problems.push(at(['body', 'devices', key], 'unknown-device-group', {
            zh: `模板没有设备组 “${key}”${guess ? `，是否指 “${guess}”？` : `（有：${groups.join('、') || '无'}）`}`,
            en: `the template has no device group "${key}"${guess ? `; did you mean "${guess}"?` : ` (it has: ${groups.join(', ') || 'none'})`}`,
          }));
        } else if (count < g.min || count > g.max) {
          problems.push(at(['body', 'devices', key], 'device-count', { zh: `设备组 “${key}” 应有 ${g.min}～${g.max} 台`, en: `device group "${key}" takes ${g.min} to ${g.max} devices` }));
        }
      }
      if (problems.length > 0) throw unprocessable('invalid-preview', summarise({ zh: '预览设置有错误', en: 'the preview settings have problems' }, problems), problems);
      input = {
        schemaVersion: 1,
        template: templateRef(template),
        enterprise: '预览 / preview',
        site: 'preview',
        scenarios: body.scenarios ?? template.scenarios.filter((x) => x.kind === 'X').map((x) => x.key),
        parameters: body.parameters ?? {},
        devices: simulatedDevices(template, counts ?? {}),
        overrides: [],
      };
    }
    const resolved = resolveInstance(template, input, p.profiles, p.catalog);
    if (!resolved.ok) {
      const problems = requestProblems(resolved.problems, source.kind === 'instance');
      throw unprocessable('invalid-preview', summarise({ zh: '无法按这些设置运行模板', en: 'the template cannot run with these settings' }, problems), problems);
    }
    const total = resolved.content.devices.reduce((n, g) => n + g.entries.length, 0);
    if (total > limits.maxDevices) {
      const problems = [at(['body', source.kind === 'instance' ? 'instance' : 'devices'], 'too-many-devices', { zh: `预览最多模拟 ${limits.maxDevices} 台设备（这里 ${total} 台）`, en: `a preview simulates at most ${limits.maxDevices} devices (this one: ${total})` })];
      throw unprocessable('too-many-devices', summarise({ zh: '设备太多', en: 'too many devices' }, problems), problems);
    }
    return { content: resolved.content, source, speed: body.speed, behaviour: body.behaviour, seed: body.seed };
  }

  return [
    guarded('post', '/api/previews', PREVIEWERS, {
      summary: {
        zh: '启动预览：模板版本（"id@版本"，作者也可用草稿）、未保存的模板全文或实例，在工作室内嵌引擎中对模拟设备运行；每个用户一个，新的替换旧的；闲置 10 分钟自动停止',
        en: 'start a preview of a template version ("id@version"; drafts for authors), an unsaved template document or an instance, run in the studio\'s embedded engine against simulated devices; one per user, a new one replaces the old; stops after 10 idle minutes',
      },
      status: 201,
      body: PreviewBody(limits),
    }, async ({ actor, body }) => {
      const wanted = plan(actor, body);
      let started;
      try {
        started = await p.sessions.start(actor.id, wanted);
      } catch (err) {
        if (err instanceof EngineDeployError) {
          const problems = deployProblems(err.problems, wanted.content.scenarios);
          throw unprocessable('preview-failed', summarise({ zh: '预览无法启动', en: 'the preview did not start' }, problems), problems);
        }
        throw err;
      }
      return { status: 201, body: { ...summary(started.session, limits), replaced: started.replaced } };
    }),

    guarded('get', '/api/previews', PREVIEWERS, { summary: { zh: '自己正在运行的预览（没有时为 null）', en: 'your running preview (null when none)' } }, ({ actor }) => {
      const current = p.sessions.current(actor.id);
      return { body: { preview: current ? snapshot(current, limits) : null } };
    }),

    guarded('get', '/api/previews/:id', PREVIEWERS, { summary: { zh: '预览的现状：时钟、节点计数与状态、设备状态、报警', en: 'a preview now: clock, node counters and states, device states, alarms' } }, ({ actor, params }) => ({
      body: snapshot(own(actor, params.id!), limits),
    })),

    guarded('get', '/api/previews/:id/events', PREVIEWERS, {
      summary: {
        zh: '预览的实时事件（Server-Sent Events）：preview 快照，之后 stats（约每秒）、devices、message（节点发出的每条消息，每节点每秒有上限）、debug、log、node-state、node-error、alarm、stopped；断线重连带 Last-Event-ID',
        en: 'a preview\'s live events (Server-Sent Events): a preview snapshot, then stats (about every second), devices, message (each message a node sends, limited per node and second), debug, log, node-state, node-error, alarm, stopped; reconnect with Last-Event-ID',
      },
    }, ({ actor, params, req, res }) => {
      const session = own(actor, params.id!);
      if (session.streams >= limits.maxStreams) {
        throw new ApiError(429, 'too-many-streams', { zh: `每个预览最多同时 ${limits.maxStreams} 个事件流`, en: `a preview has at most ${limits.maxStreams} event streams at a time` });
      }
      streamPreview(req, res, session, snapshot(session, limits), p.sessions.watch(session));
      return {};
    }),

    guarded('post', '/api/previews/:id/inject', PREVIEWERS, {
      summary: { zh: '向节点的输入注入一条测试消息 { flowId, nodeId, port?, message: { topic?, payload?, device?, quality?, ts? } }', en: 'inject a test message into a node\'s input { flowId, nodeId, port?, message: { topic?, payload?, device?, quality?, ts? } }' },
      status: 202,
      body: InjectBody,
    }, ({ actor, params, body }) => {
      const session = own(actor, params.id!);
      const nodes = session.run.nodes;
      const flows = [...new Set(nodes.map((n) => n.flowId))];
      const fail = (path: JsonPath, code: string, text: Text): never => {
        const problems = [at(path, code, text)];
        throw unprocessable(code, summarise({ zh: '无法注入', en: 'cannot inject' }, problems), problems);
      };
      if (!flows.includes(body.flowId)) {
        const guess = closest(body.flowId, flows);
        fail(['body', 'flowId'], 'unknown-flow', {
          zh: `预览中没有流程 “${body.flowId}”${guess ? `，是否指 “${guess}”？` : `（有：${flows.join('、')}）`}`,
          en: `the preview runs no flow "${body.flowId}"${guess ? `; did you mean "${guess}"?` : ` (it runs: ${flows.join(', ')})`}`,
        });
      }
      const inFlow = nodes.filter((n) => n.flowId === body.flowId);
      const node = inFlow.find((n) => n.nodeId === body.nodeId);
      if (!node) {
        const ids = inFlow.map((n) => n.nodeId);
        const guess = closest(body.nodeId, ids);
        return fail(['body', 'nodeId'], 'unknown-node', {
          zh: `流程 “${body.flowId}” 没有节点 “${body.nodeId}”${guess ? `，是否指 “${guess}”？` : ''}`,
          en: `flow "${body.flowId}" has no node "${body.nodeId}"${guess ? `; did you mean "${guess}"?` : ''}`,
        });
      }
      if (node.inputs.length === 0) {
        fail(['body', 'nodeId'], 'no-input', { zh: `节点 “${node.nodeId}”（${node.type}）没有输入端口，是消息源`, en: `node "${node.nodeId}" (${node.type}) has no input port: it is a source` });
      }
      const port = body.port ?? node.inputs[0]!;
      if (!node.inputs.includes(port)) {
        fail(['body', 'port'], 'unknown-port', { zh: `节点 “${node.nodeId}” 没有输入端口 “${port}”（有：${node.inputs.join('、')}）`, en: `node "${node.nodeId}" has no input port "${port}" (it has: ${node.inputs.join(', ')})` });
      }
      const m = body.message;
      const fields = {
        ...(m.topic === undefined ? {} : { topic: m.topic }),
        ...(m.payload === undefined ? {} : { payload: m.payload }),
        ...(m.device === undefined ? {} : { device: m.device }),
        ...(m.quality === undefined ? {} : { quality: m.quality }),
        ts: m.ts ?? session.run.clock().now,
      };
      session.run.inject(node.flowId, node.nodeId, port, fields);
      return { status: 202, body: { injected: { flowId: node.flowId, nodeId: node.nodeId, port, message: { topic: '', quality: 'good', ...fields } } } };
    }),

    guarded('post', '/api/previews/:id/devices/:device', PREVIEWERS, {
      summary: {
        zh: '操纵模拟设备：{ state: "fault", faultCode? } / { state: "running" | "idle" | "auto" } 保持或放开状态；{ tag, value } 让点位显示某值（null 放开）；{ offline: true | false } 无应答或恢复',
        en: 'script a simulated device: { state: "fault", faultCode? } / { state: "running" | "idle" | "auto" } holds or lets go of a state; { tag, value } makes a tag show a value (null lets go); { offline: true | false } stops or resumes answering',
      },
      body: DeviceBody,
    }, ({ actor, params, body }) => {
      const session = own(actor, params.id!);
      const name = params.device!;
      const device = session.run.devices.find((d) => d.name === name);
      if (!device) throw notFound({ zh: `模拟设备 ${name}`, en: `simulated device ${name}` });
      let command: DeviceCommand;
      if (body.state !== undefined) {
        command = body.state === 'auto' ? { kind: 'auto' } : { kind: 'state', state: body.state, ...(body.faultCode === undefined ? {} : { faultCode: body.faultCode }) };
      } else if (body.tag !== undefined) {
        const tag = device.tags.find((t) => t.key === body.tag);
        const keys = device.tags.map((t) => t.key);
        const problems: Problem[] = [];
        if (!tag) {
          const guess = closest(body.tag, keys);
          problems.push(at(['body', 'tag'], 'unknown-tag', {
            zh: `设备 ${name}（${device.profile}）没有点位 “${body.tag}”${guess ? `，是否指 “${guess}”？` : `（有：${keys.join('、')}）`}`,
            en: `device ${name} (${device.profile}) has no tag "${body.tag}"${guess ? `; did you mean "${guess}"?` : ` (it has: ${keys.join(', ')})`}`,
          }));
        } else if (body.value !== null && body.value !== undefined) {
          const wrong = checkValue(tag, body.value);
          if (wrong) problems.push(at(['body', 'value'], 'wrong-value', wrong));
        }
        if (problems.length > 0) throw unprocessable(problems[0]!.code, summarise({ zh: '无法设置点位', en: 'cannot set the tag' }, problems), problems);
        command = { kind: 'tag', tag: body.tag, value: body.value ?? null };
      } else {
        command = { kind: 'offline', offline: body.offline! };
      }
      return { body: { device: session.run.script(name, command) } };
    }),

    guarded('delete', '/api/previews/:id', PREVIEWERS, { summary: { zh: '停止预览', en: 'stop a preview' }, status: 204 }, async ({ actor, params }) => {
      if (!(await p.sessions.stop(params.id!, actor.id, 'deleted'))) throw notFound(WHAT);
      return {};
    }),

    guarded('post', '/api/templates/:id/versions/:version/tests/run', TEST_RUNNERS, {
      summary: {
        zh: '运行模板版本的场景测试（全部，或 only 中的）：每个测试的结果、每条期望的期望值与实际值、报警、节点错误；同一时间只运行一组（约每模拟一天 1 秒）',
        en: 'run a template version\'s scenario tests (all, or those in only): per test the result, each expectation with expected and actual, alarms, node errors; one run at a time (about 1 s per simulated day)',
      },
      body: z.strictObject({ only: Only }),
    }, async ({ actor, params, body }) => {
      const found = s.templates.get(params.id!, params.version!, isAuthor(actor));
      if (!found) throw notFound({ zh: `模板版本 ${params.id}@${params.version}`, en: `template version ${params.id}@${params.version}` });
      checkOnly(found.template, body.only);
      return { body: await p.tests.run(found.template, body.only) };
    }),

    guarded('post', '/api/template-tests', TEST_RUNNERS, {
      summary: { zh: '运行未保存模板（全文）的场景测试 { template, only? }：先按保存时的规则检查', en: 'run the scenario tests of an unsaved template document { template, only? }: checked as a save would be first' },
      body: z.strictObject({ template: Json, only: Only }),
    }, async ({ body }) => {
      const template = checkDraft(body.template, p);
      checkOnly(template, body.only);
      return { body: await p.tests.run(template, body.only) };
    }),
  ];
}
