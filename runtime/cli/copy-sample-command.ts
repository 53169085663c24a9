import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copySampleInstance } from '../library/copy-sample';
import { shippedExamplesDir } from '../library/shipped-examples';
import type { Lang } from '../model';
import { describeProblem } from '../model';
import { openLibrary } from './library-options';
import { readJsonFile } from './read-json';

export interface CopySampleOptions {
  readonly enterprise: string;
  readonly site: string;
  readonly out: string;
  readonly lang: Lang;
  readonly devices?: string;
  readonly deviceGroup?: string;
  readonly set?: string[];
  /** Comma-separated X scenarios; an empty string chooses none. */
  readonly scenarios?: string;
  readonly force?: boolean;
  readonly templates?: string;
  readonly profiles?: string[];
}

/** A sample firm by name (a folder of examples/), a folder, or an instance file. */
function sampleFile(firm: string): string | undefined {
  if (existsSync(firm)) return statSync(firm).isDirectory() ? join(firm, 'instance.json') : firm;
  const examples = shippedExamplesDir();
  const named = examples ? join(examples, firm, 'instance.json') : undefined;
  return named && existsSync(named) ? named : undefined;
}

function sampleFirms(): string[] {
  const examples = shippedExamplesDir();
  if (!examples) return [];
  return readdirSync(examples).filter((d) => existsSync(join(examples, d, 'instance.json'))).sort();
}

/** The option a problem's value came from, when it came from one. */
function optionOf(field: string | number | undefined, o: CopySampleOptions): string | undefined {
  if (field === 'site') return `--site ${o.site}`;
  if (field === 'enterprise') return '--enterprise';
  if (field === 'scenarios' && o.scenarios !== undefined) return `--scenarios ${o.scenarios}`;
  if (field === 'deviceGroup') return `--device-group ${o.deviceGroup ?? ''}`;
  return undefined;
}

/** Makes a new enterprise's instance from a sample firm's and writes it; refuses invalid input and never overwrites unasked. */
export function copySampleCommand(firm: string, o: CopySampleOptions, print: (line: string) => void): number {
  const zh = o.lang === 'zh';
  const file = sampleFile(firm);
  if (!file || !existsSync(file)) {
    const firms = sampleFirms().join(', ');
    print(zh ? `找不到示范样本 “${firm}”（内置样本：${firms}；也可给出实例文件或其目录）` : `no sample firm "${firm}" (shipped samples: ${firms}; or give an instance file or its folder)`);
    return 1;
  }
  if (existsSync(o.out) && !o.force) {
    print(zh ? `${o.out} 已存在：换一个 --out，或加 --force 覆盖` : `${o.out} exists: choose another --out, or add --force to replace it`);
    return 1;
  }
  if (o.devices !== undefined && !existsSync(o.devices)) {
    print(zh ? `${o.devices}: 设备清单文件不存在` : `${o.devices}: the device list file does not exist`);
    return 1;
  }
  const sample = readJsonFile(file);
  const ref = (sample as { template?: unknown } | null)?.template;
  const { registry, profiles, library } = openLibrary(o);
  const template = typeof ref === 'string' ? library?.get(ref) : undefined;
  if (!template) {
    print(zh ? `${file}: 找不到模板 ${String(ref)}（模板目录：${o.templates ?? '内置'}）` : `${file}: template ${String(ref)} not found (templates: ${o.templates ?? 'shipped'})`);
    return 1;
  }
  const csv = o.devices === undefined ? undefined : readFileSync(o.devices, 'utf8');
  const copy = copySampleInstance(sample, template, {
    enterprise: o.enterprise,
    site: o.site,
    ...(o.set ? { set: o.set } : {}),
    ...(csv !== undefined ? { devicesCsv: csv.charCodeAt(0) === 0xfeff ? csv.slice(1) : csv } : {}),
    ...(o.deviceGroup ? { deviceGroup: o.deviceGroup } : {}),
    ...(o.scenarios !== undefined ? { scenarios: o.scenarios.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
  }, profiles, registry);
  // A problem of the device list names the CSV file and its line, one of --set the option as
  // typed (their messages say where already); the others name the sample's JSON path.
  const given = new Map((o.set ?? []).map((item) => [item.slice(0, Math.max(0, item.indexOf('='))).trim(), item]));
  for (const p of copy.problems) {
    const setItem = p.path[0] === 'parameters' ? given.get(String(p.path[1])) : undefined;
    const tag = p.severity === 'error' ? (zh ? '错误' : 'error') : (zh ? '警告' : 'warning');
    if (o.devices && p.path[0] === 'devices' && p.path[1] === 'csv') print(`${o.devices}: ${tag} ${p.message[o.lang]} [${p.code}]`);
    else if (p.message.en.startsWith('--set')) print(`${tag} ${p.message[o.lang]} [${p.code}]`);
    else if (setItem !== undefined) print(`${tag} --set ${setItem}: ${p.message[o.lang]} [${p.code}]`);
    else if (optionOf(p.path[0], o)) print(`${tag} ${optionOf(p.path[0], o)} (${p.at}): ${p.message[o.lang]} [${p.code}]`);
    else print(`${file}: ${describeProblem(p, o.lang)}`);
  }
  if (!copy.ok) {
    print(zh ? '有错误，未生成实例' : 'there are errors: no instance written');
    return 1;
  }
  writeFileSync(o.out, `${JSON.stringify(copy.instance, null, 2)}\n`);
  const devices = Object.entries(copy.instance.devices).map(([g, list]) => `${g} × ${list.length}`).join(zh ? '，' : ', ');
  print(zh
    ? `已生成 ${o.out}：${o.enterprise}，站点 ${o.site}，${template.id}@${template.version}，可选场景 ${copy.instance.scenarios.join('、') || '无'}，设备 ${devices}`
    : `wrote ${o.out}: ${o.enterprise}, site ${o.site}, ${template.id}@${template.version}, X scenarios ${copy.instance.scenarios.join(', ') || 'none'}, devices ${devices}`);
  for (const d of copy.droppedOverrides) {
    print(zh ? `未带上示范样本在未选场景里的修改：${d.op} ${d.path}` : `left out the sample's change inside a scenario not chosen: ${d.op} ${d.path}`);
  }
  for (const g of copy.keptGroups) {
    print(zh ? `注意：设备组 ${g} 沿用了示范样本的设备（CSV 里没有这一组）；请在 CSV 里加 group 列写上本厂的 ${g}` : `note: device group ${g} keeps the sample firm's devices (the CSV has none of it); add them to the CSV with a group column`);
  }
  if (Object.keys(sample as object).includes('uplink')) {
    print(zh ? '示范样本的上传授权没有复制：是否上传、上传什么由本企业自己决定' : "the sample firm's uplink consent was not copied: what leaves the site is this enterprise's own decision");
  }
  return 0;
}
