import type { ConflictChoice, UpgradeConflict, UpgradePlan } from '../../../runtime/model';

/** Conflicts about something the new version no longer has: only "template" (let it go) is possible. */
export const onlyTemplate = (c: UpgradeConflict) => c.kind === 'scenario' || c.kind === 'device-group' || c.kind === 'gone';

/** The choices a plan starts with: the forced ones made, the rest open. */
export function initialChoices(plan: UpgradePlan): Record<string, ConflictChoice> {
  return Object.fromEntries(plan.conflicts.filter(onlyTemplate).map((c) => [c.id, 'template' as const]));
}

/** The conflicts still without a choice. */
export function openConflicts(plan: UpgradePlan, choices: Readonly<Record<string, ConflictChoice>>): UpgradeConflict[] {
  return plan.conflicts.filter((c) => choices[c.id] === undefined);
}

/** Template changes grouped by the scenario they touch (`/scenarios/<key>/…`), others under "". */
export function changesByScenario<T extends { readonly path: string }>(changes: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const c of changes) {
    const key = /^\/scenarios\/([^/]+)/.exec(c.path)?.[1] ?? '';
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.entries()];
}
