import { writeFileSync } from 'node:fs';
import type { ConflictChoice, Lang } from '../model';
import { InstanceSchema, applyUpgrade, describeProblem, parseTemplateRef, planUpgrade, resolveInstance, zodProblems } from '../model';
import { openLibrary } from './library-options';
import { readJsonFile } from './read-json';

export interface UpgradeOptions {
  readonly to: string;
  readonly lang: Lang;
  readonly templates?: string;
  readonly profiles?: string[];
  /** `c1=site,c2=template` */
  readonly choose?: string;
  /** Write the upgraded instance here (needs a choice for every conflict). */
  readonly out?: string;
}

function parseChoices(text: string | undefined): Record<string, ConflictChoice> {
  const out: Record<string, ConflictChoice> = {};
  for (const part of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [id, choice] = part.split('=');
    if (!id || (choice !== 'site' && choice !== 'template')) throw new Error(`--choose: "${part}" is not id=site or id=template`);
    out[id] = choice;
  }
  return out;
}

/** Prints the plan of upgrading an instance to a newer template version; with --out, writes the result. */
export function upgradeCommand(file: string, o: UpgradeOptions, print: (line: string) => void): number {
  const zh = o.lang === 'zh';
  const raw = readJsonFile(file);
  const parsed = InstanceSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const p of zodProblems(parsed.error, [], 'invalid-instance')) print(`${file}: ${describeProblem(p, o.lang)}`);
    return 1;
  }
  const instance = parsed.data;
  if (!parseTemplateRef(o.to)) {
    print(zh ? `--to 应形如 模板@1.3.0，实际是 ${o.to}` : `--to must look like template@1.3.0, got ${o.to}`);
    return 1;
  }
  const { registry, profiles, library } = openLibrary(o);
  const from = library?.get(instance.template);
  const to = library?.get(o.to);
  for (const [ref, t] of [[instance.template, from], [o.to, to]] as const) {
    if (!t) {
      print(zh ? `找不到模板 ${ref}` : `template ${ref} not found`);
      return 1;
    }
  }
  if (from!.id !== to!.id) {
    print(zh ? `不能从 ${from!.id} 升级到另一个模板 ${to!.id}` : `cannot upgrade from ${from!.id} to a different template, ${to!.id}`);
    return 1;
  }
  const plan = planUpgrade(from!, to!, instance);
  print(zh ? `升级计划：${plan.from} → ${plan.to}（${instance.enterprise}，站点 ${instance.site}）` : `upgrade plan: ${plan.from} → ${plan.to} (${instance.enterprise}, site ${instance.site})`);
  print(zh ? `模板的改动（${plan.templateChanges.length} 处，将随升级生效）：` : `template changes (${plan.templateChanges.length}, they come with the upgrade):`);
  for (const c of plan.templateChanges) print(`  ${c.text[o.lang]}`);
  print(zh ? `本站点保留的修改（${plan.kept.length}）：` : `site changes kept (${plan.kept.length}):`);
  for (const k of plan.kept) print(`  ${k.op} ${k.path}`);
  if (plan.absorbed.length > 0) {
    print(zh ? `新版本已包含的本地修改（不再需要，${plan.absorbed.length}）：` : `site changes the new version already makes (no longer needed, ${plan.absorbed.length}):`);
    for (const k of plan.absorbed) print(`  ${k.op} ${k.path}`);
  }
  if (plan.newParameters.length > 0) print(`${zh ? '新参数（使用默认值）' : 'new parameters (their defaults apply)'}: ${plan.newParameters.join(', ')}`);
  if (plan.droppedParameters.length > 0) print(`${zh ? '删除的参数（其值将丢弃）' : 'parameters removed (their values go)'}: ${plan.droppedParameters.join(', ')}`);
  print(zh ? `冲突（${plan.conflicts.length}，每个都需要选择 site 或 template）：` : `conflicts (${plan.conflicts.length}; each needs a choice, site or template):`);
  for (const c of plan.conflicts) {
    print(`  ${c.id} [${c.kind}] ${c.path}`);
    print(`     ${zh ? '模板' : 'template'}: ${c.template[o.lang]}`);
    print(`     ${zh ? '站点' : 'site'}:     ${c.site[o.lang]}`);
  }
  if (!o.out) return 0;

  let choices: Record<string, ConflictChoice>;
  try {
    choices = parseChoices(o.choose);
  } catch (err) {
    print((err as Error).message);
    return 1;
  }
  let upgraded;
  try {
    upgraded = applyUpgrade(plan, instance, to!, choices);
  } catch (err) {
    print(zh ? `未写出：${(err as Error).message}（用 --choose c1=site,c2=template 逐个选择）` : `not written: ${(err as Error).message} (choose with --choose c1=site,c2=template)`);
    return 1;
  }
  const resolved = resolveInstance(to!, upgraded, profiles, registry);
  for (const p of resolved.problems) print(`${o.out}: ${describeProblem(p, o.lang)}`);
  if (!resolved.ok) {
    print(zh ? '升级后的实例有错误，未写出' : 'the upgraded instance has errors: not written');
    return 1;
  }
  writeFileSync(o.out, `${JSON.stringify(upgraded, null, 2)}\n`);
  print(zh ? `已写出升级后的实例 ${o.out}` : `wrote the upgraded instance to ${o.out}`);
  return 0;
}
