import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readPrivateKey } from '../bundle/keys';
import { signBundle } from '../bundle/sign-bundle';
import type { Bundle, Lang, UplinkPolicy } from '../model';
import { BUNDLE_SCHEMA_VERSION, checkUplinkPolicy, describeProblem } from '../model';
import { createNodeRegistry } from '../../nodes/registry';
import { validateFlow } from '../model';
import { readJsonFile } from './read-json';
import { openLibrary } from './library-options';
import { buildInstanceBundle } from '../bundle/instance-bundle';

export interface BundleOptions {
  readonly site: string;
  readonly sequence: number;
  readonly key: string;
  readonly out: string;
  readonly id?: string;
  readonly lang: Lang;
  /** Template folders, for an instance (default: the shipped templates). */
  readonly templates?: string;
  readonly profiles?: string[];
  /** An uplink policy file for a bundle of flows (an instance carries its own). */
  readonly uplink?: string;
}

function isInstance(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && typeof (raw as { template?: unknown }).template === 'string';
}

/** An enterprise's copy of a template, resolved and signed for its site. */
function bundleInstance(file: string, raw: unknown, o: BundleOptions, print: (line: string) => void): number {
  const { registry, profiles, library } = openLibrary(o);
  const ref = (raw as { template: string }).template;
  const template = library?.get(ref);
  if (!template) {
    print(o.lang === 'zh' ? `${file}: 找不到模板 ${ref}（模板目录：${o.templates ?? '内置'}）` : `${file}: template ${ref} not found (templates: ${o.templates ?? 'shipped'})`);
    return 1;
  }
  const site = (raw as { site?: unknown }).site;
  if (site !== o.site) {
    print(o.lang === 'zh' ? `${file}: 实例属于站点 “${String(site)}”，而 --site 是 “${o.site}”` : `${file}: the instance is for site "${String(site)}", but --site is "${o.site}"`);
    return 1;
  }
  const built = buildInstanceBundle(template, raw, profiles, registry, { sequence: o.sequence, createdAt: createdAt(), ...(o.id ? { id: o.id } : {}) });
  for (const p of built.problems) print(`${file}: ${describeProblem(p, o.lang)}`);
  if (!built.ok) {
    print(o.lang === 'zh' ? '实例有错误，未生成部署包' : 'the instance has errors: no bundle made');
    return 1;
  }
  const signed = signBundle(built.bundle, readPrivateKey(o.key));
  writeFileSync(o.out, `${JSON.stringify(signed)}\n`);
  print(o.lang === 'zh'
    ? `已生成部署包 ${o.out}：${ref}，站点 ${o.site}，序号 ${o.sequence}，${built.bundle.flows.length} 个场景，${signed.hash}`
    : `wrote ${o.out}: ${ref} for site ${o.site}, sequence ${o.sequence}, ${built.bundle.flows.length} scenario(s), ${signed.hash}`);
  return 0;
}

function flowFiles(input: string): string[] {
  if (!statSync(input).isDirectory()) return [input];
  return readdirSync(input).filter((f) => f.endsWith('.json')).sort().map((f) => join(input, f));
}

/** The build time: SOURCE_DATE_EPOCH when set, so the same inputs give the same bytes. */
function createdAt(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return new Date(epoch ? Number(epoch) * 1000 : Date.now()).toISOString();
}

/** Makes a signed bundle from a flow file, a folder of flow files, or an instance of a template; refuses invalid input. */
export function bundleCommand(input: string, o: BundleOptions, print: (line: string) => void): number {
  if (!Number.isInteger(o.sequence) || o.sequence < 1) {
    print(o.lang === 'zh' ? `--sequence 应为正整数，实际是 ${o.sequence}` : `--sequence must be a positive integer, got ${o.sequence}`);
    return 1;
  }
  if (!statSync(input).isDirectory()) {
    const raw = readJsonFile(input);
    if (isInstance(raw)) {
      if (o.uplink !== undefined) {
        print(o.lang === 'zh' ? `${input}: 实例自带上传策略（实例的 uplink 字段，由企业设定），不能再用 --uplink` : `${input}: an instance carries its own uplink policy (its uplink field, the enterprise's); --uplink is for flows`);
        return 1;
      }
      return bundleInstance(input, raw, o, print);
    }
  }
  let uplink: UplinkPolicy | undefined;
  if (o.uplink !== undefined) {
    const checked = checkUplinkPolicy(readJsonFile(o.uplink), []);
    if (!checked.ok) {
      for (const p of checked.problems) print(`${o.uplink}: ${describeProblem(p, o.lang)}`);
      print(o.lang === 'zh' ? '上传策略有错误，未生成部署包' : 'the uplink policy has errors: no bundle made');
      return 1;
    }
    uplink = checked.policy;
  }
  const files = flowFiles(input);
  if (files.length === 0) {
    print(o.lang === 'zh' ? `${input} 中没有流程文件（*.json）` : `no flow files (*.json) in ${input}`);
    return 1;
  }
  const registry = createNodeRegistry();
  const flows = files.map((f) => readJsonFile(f));
  let bad = 0;
  flows.forEach((flow, i) => {
    for (const p of validateFlow(flow, registry).problems) {
      print(`${files[i]}: ${describeProblem(p, o.lang)}`);
      if (p.severity === 'error') bad++;
    }
  });
  if (bad > 0) {
    print(o.lang === 'zh' ? `流程有 ${bad} 个错误，未生成部署包` : `${bad} error(s) in the flows: no bundle made`);
    return 1;
  }
  const bundle: Bundle = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    id: o.id ?? `${o.site}-${o.sequence}`,
    sequence: o.sequence,
    site: o.site,
    source: { kind: 'flows', files: files.map((f) => basename(f)) },
    flows,
    devices: [],
    profiles: [],
    dashboards: [],
    ...(uplink ? { uplink } : {}),
    createdAt: createdAt(),
  };
  const signed = signBundle(bundle, readPrivateKey(o.key));
  writeFileSync(o.out, `${JSON.stringify(signed)}\n`);
  print(o.lang === 'zh'
    ? `已生成部署包 ${o.out}：站点 ${o.site}，序号 ${o.sequence}，${flows.length} 个流程，${signed.hash}，签名密钥 ${signed.signature.keyId}`
    : `wrote ${o.out}: site ${o.site}, sequence ${o.sequence}, ${flows.length} flow(s), ${signed.hash}, signed by ${signed.signature.keyId}`);
  return 0;
}
