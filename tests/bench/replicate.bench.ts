// `npm run bench -- replicate`: copying one template to many firms. Resolve + sign bundles for
// 1,000 enterprise instances (40 devices each), batch-deploy to 50 site runtimes on loopback,
// and the fleet page with 10,000 sites — all through the studio's own code and HTTP API.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createBundleBuilder } from '../../designer/server/bundle-builder';
import { loadProfileCatalog } from '../../runtime/devices/profile-catalog';
import type { Instance, Template } from '../../runtime/model';
import { InstanceSchema, TemplateSchema, resolveInstance } from '../../runtime/model';
import { canonicalJson } from '../../runtime/bundle/canonical-json';
import type { TestSite } from '../helpers/site';
import type { Client, RunningStudio } from '../designer/server/helpers';
import { registry, seedSites, startStudio, startTrustingSite } from '../designer/server/helpers';
import { fmt, median } from './stats';

const INSTANCES = Number(process.env.INSTANCES ?? 1000);
const DEVICES = Number(process.env.DEVICES ?? 40);
const SITES = Number(process.env.SITES ?? 50);
const FLEET = Number(process.env.FLEET ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 3);
const PROFILES = fileURLToPath(new URL('../../templates/profiles/', import.meta.url));

/** A weaving template the way the shipped ones are built: 3 N + 2 X scenarios, one loom group. */
function weavingTemplate(): Record<string, unknown> {
  const flow = (id: string, nodes: unknown[], edges: [string, string, string?][]) => ({
    schemaVersion: 1, id, name: { zh: id, en: id }, nodes,
    edges: edges.map(([s, t, p], i) => ({ id: `e${i}`, source: s, sourcePort: p ?? 'out', target: t, targetPort: 'in' })),
  });
  const node = (id: string, type: string, config: Record<string, unknown>) => ({ id, type, version: 1, config });
  return {
    schemaVersion: 1, id: 'weaving-bench', version: '1.0.0', industry: 'C1751', author: 'Kaiwu bench',
    title: { zh: '喷水织机（基准）', en: 'Water-jet looms (bench)' }, description: { zh: '基准测试用', en: 'for the benchmark' }, demands: ['output', 'quality'],
    parameters: [
      { key: 'effLow', type: 'number', label: { zh: '效率下限', en: 'Efficiency floor' }, unit: '%', min: 0, max: 100, default: 75 },
      { key: 'stopDelay', type: 'duration', label: { zh: '停机报警延时', en: 'Stop alarm delay' }, default: '5min' },
      { key: 'window', type: 'duration', label: { zh: '统计窗口', en: 'Statistics window' }, default: '1min' },
      { key: 'shiftLead', type: 'string', label: { zh: '班组长', en: 'Shift lead' }, required: true },
    ],
    deviceGroups: [{ key: 'looms', profile: 'loom-controller', label: { zh: '织机', en: 'Looms' }, min: 1, max: 1000 }],
    scenarios: [
      { key: 'status', kind: 'N', title: { zh: '织机状态', en: 'Loom state' }, demands: ['output'], flow: flow('status', [
        node('read', 'device-list', { devices: { $deviceGroup: 'looms' } }),
        node('low', 'threshold-alarm', { property: 'payload.efficiency', low: { $param: 'effLow' }, onDelayMs: { $param: 'stopDelay' }, code: 'eff-low' }),
        node('show', 'debug', {}),
      ], [['read', 'low'], ['low', 'show', 'alarm']]), dashboard: { widgets: [{ id: 'states', w: 12, h: 4 }] } },
      { key: 'output', kind: 'N', title: { zh: '班产', en: 'Output per shift' }, demands: ['output'], flow: flow('output', [
        node('shift', 'timer', { mode: 'shifts', shifts: [{ name: '早班', start: '08:00' }, { name: '夜班', start: '20:00' }] }),
        node('sum', 'aggregate', { window: { kind: 'tumbling', sizeMs: { $param: 'window' } } }),
        node('show', 'debug', {}),
      ], [['shift', 'sum'], ['sum', 'show']]) },
      { key: 'stops', kind: 'N', title: { zh: '停机原因', en: 'Stop causes' }, demands: ['quality'], flow: flow('stops', [
        node('tick', 'timer', { mode: 'interval', intervalMs: 60_000 }),
        node('cause', 'switch', { rules: [{ port: 'weft', op: 'eq', value: 2 }], otherwise: 'other' }),
        node('show', 'debug', {}),
      ], [['tick', 'cause'], ['cause', 'show', 'weft']]) },
      { key: 'energy', kind: 'X', title: { zh: '米耗电', en: 'Energy per metre' }, demands: ['energy'], flow: flow('energy', [
        node('tick', 'timer', { mode: 'interval', intervalMs: 60_000 }),
        node('avg', 'aggregate', { window: { kind: 'tumbling', sizeMs: 3_600_000 } }),
      ], [['tick', 'avg']]) },
      { key: 'report', kind: 'X', title: { zh: '班报', en: 'Shift report' }, demands: ['management'], flow: flow('report', [
        node('shift', 'timer', { mode: 'shifts', shifts: [{ name: '早班', start: '08:00' }, { name: '夜班', start: '20:00' }] }),
        node('show', 'debug', {}),
      ], [['shift', 'show']]) },
    ],
  };
}

/** 40 looms behind four serial-to-Ethernet gateways, ten unit ids each. */
function looms(firm: number): Record<string, unknown>[] {
  return Array.from({ length: DEVICES }, (_, i) => ({ name: `loom-${String(i + 1).padStart(2, '0')}`, host: `10.${firm >> 8}.${firm & 255}.${1 + Math.floor(i / 10)}`, port: 502, unitId: 1 + (i % 10) }));
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

export async function replicateBench(): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  const templatesDir = mkdtempSync(join(tmpdir(), 'kaiwu-bench-templates-'));
  mkdirSync(join(templatesDir, 'weaving-bench'));
  writeFileSync(join(templatesDir, 'weaving-bench', 'template.json'), JSON.stringify(weavingTemplate()));
  const s: RunningStudio = await startStudio({ templatesDir, profileDirs: [PROFILES], logger: pino({ level: 'silent' }), deploy: { concurrency: 16 } });
  const sites: TestSite[] = [];
  try {
    if (s.studio.imported.imported[0] !== 'weaving-bench@1.0.0') throw new Error(`bench template not imported: ${JSON.stringify(s.studio.imported.rejected)}`);
    const contractor: Client = await s.user('bench-contractor', 'contractor');

    // --- 1,000 enterprise copies, each checked in full on save --------------------------------
    console.error(`# ${INSTANCES} enterprise instances of weaving-bench@1.0.0, ${DEVICES} looms each`);
    const ids: string[] = [];
    const create = await timed(async () => {
      for (let f = 0; f < INSTANCES; f++) {
        const r = await contractor.api('POST', '/api/instances', {
          template: 'weaving-bench@1.0.0', enterprise: `织造厂 ${String(f).padStart(4, '0')}`, site: 'test-site',
          scenarios: f % 2 ? ['energy'] : ['energy', 'report'], parameters: { effLow: 60 + (f % 30), shiftLead: `班长 ${f}` }, devices: looms(f),
        });
        if (r.status !== 201) throw new Error(JSON.stringify(r.body).slice(0, 500));
        ids.push(r.body.instance.id);
      }
    });
    results.create_instance_ms = fmt(create.ms / INSTANCES);
    console.error(`  create through the API (validate + store): ${fmt(create.ms / INSTANCES)} ms per instance`);

    const template: Template = TemplateSchema.parse(weavingTemplate());
    const profileCatalog = loadProfileCatalog([PROFILES]);
    const profiles = (id: string) => profileCatalog.get(id)?.profile;
    const builder = createBundleBuilder({ templates: { published: () => template }, profiles, catalog: registry, key: s.studio.key.privateKey, now: Date.now });
    const docs: Instance[] = ids.map((id) => InstanceSchema.parse(JSON.parse(s.studio.db.prepare('SELECT doc FROM instances WHERE id = ?').pluck().get(id) as string)));
    const perInstance: number[] = [];
    let bytes = 0;
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      docs.forEach((doc, i) => {
        const b = builder.build(doc, r + 1);
        if (!b.ok) throw new Error(JSON.stringify(b.problems[0]));
        if (i === 0) bytes = JSON.stringify(b.built.signed).length;
      });
      perInstance.push((performance.now() - t0) / docs.length);
      console.error(`  run ${r + 1}: resolve + sign ${fmt(perInstance.at(-1)!)} ms per instance (bundle ${Math.round(bytes / 1024)} KB)`);
    }
    results.resolve_ms_per_instance = fmt(median(perInstance));
    // Where the time goes, to say what would make it faster.
    const sample = docs.slice(0, 200);
    let t0 = performance.now();
    for (const doc of sample) resolveInstance(template, doc, profiles, registry);
    const resolveOnly = (performance.now() - t0) / sample.length;
    const bundle = builder.build(sample[0]!, 1);
    if (!bundle.ok) throw new Error('no bundle');
    t0 = performance.now();
    for (let i = 0; i < sample.length; i++) canonicalJson(bundle.built.signed.bundle);
    const canonical = (performance.now() - t0) / sample.length;
    results.resolve_only_ms = fmt(resolveOnly);
    results.canonical_json_ms = fmt(canonical);
    console.error(`  of which: resolveInstance ${fmt(resolveOnly)} ms, canonical JSON of the bundle ${fmt(canonical)} ms (signing hashes it once more)`);

    // The loops above held the event loop for seconds: let the server drop the keep-alive
    // sockets that timed out meanwhile, or the next request may be sent down a closing one.
    await new Promise((r) => setTimeout(r, 500));

    // --- batch deploy to 50 runtimes -----------------------------------------------------------
    console.error(`# batch deploy to ${SITES} site runtimes on loopback (in this process)`);
    const siteIds: string[] = [];
    for (let i = 0; i < SITES; i++) {
      const runtime = await startTrustingSite(s.studio, { probationMs: 60_000 });
      sites.push(runtime);
      const reg = await s.admin.api('POST', '/api/sites', { name: `站点 ${String(i).padStart(2, '0')}`, url: runtime.url, token: runtime.token });
      if (reg.status !== 201) throw new Error(JSON.stringify(reg.body));
      siteIds.push(reg.body.site.id);
      const bound = await contractor.api('PUT', `/api/sites/${reg.body.site.id}/instance`, { instanceId: ids[i] });
      if (bound.status !== 200) throw new Error(JSON.stringify(bound.body));
    }
    const batchTimes: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const { ms, value } = await timed(() => s.admin.api('POST', '/api/deployments/batch', { sites: siteIds }));
      if (value.body.deployed !== SITES) throw new Error(`batch: ${JSON.stringify(value.body).slice(0, 1000)}`);
      batchTimes.push(ms / 1000);
      console.error(`  run ${r + 1}: ${SITES} sites deployed in ${(ms / 1000).toFixed(2)} s`);
    }
    results.batch_deploy_50_s = median(batchTimes).toFixed(2);
    const check = (await sites[SITES - 1]!.api('GET', '/api/status')).body;
    if (check.deployment?.sequence !== RUNS) throw new Error(`site runs ${JSON.stringify(check.deployment)}`);

    // --- fleet page with 10,000 sites ----------------------------------------------------------
    console.error(`# fleet page with ${FLEET} sites`);
    const seeded = seedSites(s.studio, FLEET - SITES, { enterprises: Array.from({ length: 100 }, (_, i) => `织造厂 ${String(i).padStart(4, '0')}`) });
    // Most seeded sites run a copy: bind the remaining instances so the drift join has work to do.
    const bind = s.studio.db.prepare('UPDATE sites SET instance_id = ? WHERE id = ?');
    s.studio.db.transaction(() => ids.slice(SITES).forEach((id, i) => bind.run(id, seeded[i]!)))();
    const enterprise = await s.user('bench-enterprise', 'enterprise', '织造厂 0007');
    const pages: number[] = [];
    const scoped: number[] = [];
    const filtered: number[] = [];
    const pagesTotal = Math.ceil(FLEET / 50);
    for (let i = 0; i < 60; i++) {
      pages.push((await timed(() => s.admin.api('GET', `/api/fleet?page=${1 + ((i * 37) % pagesTotal)}&pageSize=50`))).ms);
      scoped.push((await timed(() => enterprise.api('GET', '/api/fleet?pageSize=50'))).ms);
      filtered.push((await timed(() => s.admin.api('GET', `/api/fleet?drift=instance-changed&health=ok&page=${1 + (i % 5)}&pageSize=50`))).ms);
    }
    const library: number[] = [];
    for (let i = 0; i < 30; i++) library.push((await timed(() => enterprise.api('GET', '/api/templates?industry=C17'))).ms);
    const total = (await s.admin.api('GET', '/api/fleet?pageSize=1')).body.total;
    if (total !== FLEET) throw new Error(`fleet has ${total} sites`);
    results.fleet_page_ms_10k = fmt(median(pages));
    results.fleet_page_max_ms_10k = fmt(Math.max(...pages));
    results.fleet_page_enterprise_ms = fmt(median(scoped));
    results.fleet_page_filtered_ms = fmt(median(filtered));
    results.library_page_ms = fmt(median(library));
    console.error(`  admin page: median ${fmt(median(pages))} ms, max ${fmt(Math.max(...pages))} ms; one enterprise: ${fmt(median(scoped))} ms; filtered: ${fmt(median(filtered))} ms; library: ${fmt(median(library))} ms`);
  } finally {
    for (const site of sites) await site.close();
    await s.close();
  }
  for (const [k, v] of Object.entries(results)) console.log(`${k}=${v}`);
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await replicateBench();
