import { describe, expect, it } from 'vitest';
import { auditMessages } from '../../../designer/app/audit/messages';
import { fleetMessages } from '../../../designer/app/fleet/messages';
import { instancesMessages } from '../../../designer/app/instances/messages';
import { libraryMessages } from '../../../designer/app/library/messages';
import { uiMessages } from '../../../designer/app/library/ui/messages';

/** Every key of a message tree, plural forms folded (`x_one`, `x_other` → `x`). */
function keys(tree: Readonly<Record<string, unknown>>, prefix = ''): string[] {
  return [...new Set(Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' && v !== null
    ? keys(v as Record<string, unknown>, `${prefix}${k}.`)
    : [`${prefix}${k.replace(/_(zero|one|two|few|many|other)$/, '')}`])))].sort();
}

const placeholders = (tree: Readonly<Record<string, unknown>>): Map<string, string> => {
  const out = new Map<string, string>();
  const walk = (t: Readonly<Record<string, unknown>>, prefix: string) => {
    for (const [k, v] of Object.entries(t)) {
      if (typeof v === 'object' && v !== null) walk(v as Record<string, unknown>, `${prefix}${k}.`);
      else out.set(`${prefix}${k.replace(/_(zero|one|two|few|many|other)$/, '')}`, [...String(v).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort().join(','));
    }
  };
  walk(tree, '');
  return out;
};

describe('enterprise path and fleet texts', () => {
  it.each([
    ['library', libraryMessages], ['ui', uiMessages], ['instances', instancesMessages], ['fleet', fleetMessages], ['audit', auditMessages],
  ] as const)('%s has every text in Chinese and English, with the same placeholders', (_ns, messages) => {
    expect(keys(messages.en)).toEqual(keys(messages.zh));
    const zh = placeholders(messages.zh);
    for (const [key, names] of placeholders(messages.en)) if (names !== '' && zh.get(key) !== '') expect([key, names]).toEqual([key, zh.get(key)]);
  });
});
