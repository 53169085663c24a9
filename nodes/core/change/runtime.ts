import { defineNode } from '../../sdk';
import type { Message, Text } from '../../sdk';
import type { ChangeRule, ParsedPath } from './definition';
import { changeDefinition, describeValue, fitsKind, parsePath } from './definition';

/** The message while rules run on it; the payload is only ever replaced, never mutated. */
interface Draft {
  ts: number;
  topic: string;
  payload: unknown;
  device: string | undefined;
  quality: Message['quality'];
}

/**
 * A rule that cannot apply to this message. The engine shows an error's `message`, so it
 * carries both languages.
 */
export class ChangeRuleError extends Error {
  constructor(readonly text: Text) {
    super(`${text.zh} / ${text.en}`);
    this.name = 'ChangeRuleError';
  }
}

type Apply = (draft: Draft) => void;

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function arrayIndex(key: string): number | undefined {
  if (!/^(0|[1-9]\d*)$/.test(key)) return undefined;
  return Number(key);
}

function read(draft: Draft, path: ParsedPath): unknown {
  let value: unknown = draft[path.root];
  for (const key of path.keys) {
    if (!isContainer(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A copy of `container` with `value` at `keys[i..]`; untouched branches are shared, not copied. */
function setIn(container: unknown, path: ParsedPath, i: number, value: unknown): unknown {
  if (i === path.keys.length) return value;
  const key = path.keys[i]!;
  const here = ['payload', ...path.keys.slice(0, i)].join('.');
  if (container === undefined || container === null) return { [key]: setIn(undefined, path, i + 1, value) };
  if (Array.isArray(container)) {
    const index = arrayIndex(key);
    if (index === undefined || index > container.length) {
      throw new ChangeRuleError({
        zh: `${here} 是长度为 ${container.length} 的数组，“${key}” 不是可写的下标`,
        en: `${here} is an array of ${container.length}; "${key}" is not an index that can be written`,
      });
    }
    const copy = container.slice();
    copy[index] = setIn(container[index], path, i + 1, value);
    return copy;
  }
  if (typeof container === 'object') {
    const record = container as Record<string, unknown>;
    return { ...record, [key]: setIn(Object.hasOwn(record, key) ? record[key] : undefined, path, i + 1, value) };
  }
  const what = describeValue(container);
  throw new ChangeRuleError({ zh: `${here} 是${what.zh}，不能在其下设置字段 “${key}”`, en: `${here} is ${what.en}; it cannot hold the field "${key}"` });
}

/** A copy of `container` without `keys[i..]`, or `container` itself when there is nothing to remove. */
function deleteIn(container: unknown, keys: readonly string[], i: number): unknown {
  if (!isContainer(container)) return container;
  const key = keys[i]!;
  if (!Object.hasOwn(container, key)) return container;
  if (Array.isArray(container)) {
    const index = arrayIndex(key);
    if (index === undefined) return container;
    const copy = container.slice();
    if (i === keys.length - 1) copy.splice(index, 1);
    else copy[index] = deleteIn(container[index], keys, i + 1);
    return copy;
  }
  const record = container as Record<string, unknown>;
  if (i === keys.length - 1) {
    const { [key]: _removed, ...rest } = record;
    return rest;
  }
  const child = deleteIn(record[key], keys, i + 1);
  return child === record[key] ? container : { ...record, [key]: child };
}

function write(draft: Draft, path: ParsedPath, value: unknown): void {
  if (path.root === 'payload') {
    draft.payload = setIn(draft.payload, path, 0, value);
    return;
  }
  // Only values copied out of the payload get here unchecked; validation caught the rest.
  if (!fitsKind(path.kind, value)) {
    const want: Text = path.kind === 'number' ? { zh: '数字', en: 'a number' }
      : path.kind === 'quality' ? { zh: 'good、bad 或 uncertain', en: 'good, bad or uncertain' }
        : { zh: '文本', en: 'text' };
    const what = describeValue(value);
    throw new ChangeRuleError({ zh: `${path.text} 只能是${want.zh}，不能是${what.zh}`, en: `${path.text} must be ${want.en}, not ${what.en}` });
  }
  (draft as unknown as Record<string, unknown>)[path.root] = value;
}

function remove(draft: Draft, path: ParsedPath): void {
  if (path.root === 'device') draft.device = undefined;
  else if (path.keys.length === 0) draft.payload = undefined;
  else draft.payload = deleteIn(draft.payload, path.keys, 0);
}

function present(draft: Draft, path: ParsedPath): unknown {
  const value = read(draft, path);
  if (value === undefined) throw new ChangeRuleError({ zh: `${path.text} 不存在`, en: `there is nothing at ${path.text}` });
  return value;
}

/** Half away from zero, on the decimal digits as written, so 1.005 rounds to 1.01 like on paper. */
function roundTo(value: number, places: number): number {
  const shift = (v: number, by: number) => {
    const [mantissa, exponent = '0'] = String(v).split('e');
    return Number(`${mantissa}e${Number(exponent) + by}`);
  };
  const rounded = shift(Math.round(shift(Math.abs(value), places)), -places);
  // Never -0: it would print as 0 but compare differently downstream.
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}

const TRUE_WORDS = new Set(['true', '1', 'on', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'off', 'no']);

function convert(value: unknown, to: 'number' | 'string' | 'boolean', path: ParsedPath): unknown {
  const what = describeValue(value);
  const fail = (target: Text) => new ChangeRuleError({
    zh: `无法把 ${path.text}（${what.zh}）转换为${target.zh}`,
    en: `cannot convert ${path.text} (${what.en}) to ${target.en}`,
  });
  switch (to) {
    case 'number': {
      if (typeof value === 'number') return value;
      if (typeof value === 'boolean') return value ? 1 : 0;
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
      if (!Number.isFinite(n)) throw fail({ zh: '数字', en: 'a number' });
      return n;
    }
    case 'string':
      if (value === undefined) throw fail({ zh: '文本', en: 'text' });
      if (typeof value === 'string') return value;
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number' && Number.isFinite(value)) return value !== 0;
      const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      if (word !== undefined && TRUE_WORDS.has(word)) return true;
      if (word !== undefined && FALSE_WORDS.has(word)) return false;
      throw fail({ zh: '布尔值', en: 'a boolean' });
    }
  }
}

function at(text: string): ParsedPath {
  const p = parsePath(text);
  // The config was validated before the node is created, so a bad path here is a bug.
  if (!('root' in p)) throw new Error(p.en);
  return p;
}

function compile(rule: ChangeRule): Apply {
  switch (rule.action) {
    case 'set': {
      const path = at(rule.path);
      // A private copy: messages freeze their payload, and the flow's config must stay as it was.
      const value = structuredClone(rule.value);
      return (d) => write(d, path, value);
    }
    case 'copy': {
      const from = at(rule.from);
      const to = at(rule.to);
      return (d) => write(d, to, present(d, from));
    }
    case 'move': {
      const from = at(rule.from);
      const to = at(rule.to);
      return (d) => {
        const value = present(d, from);
        remove(d, from);
        write(d, to, value);
      };
    }
    case 'delete': {
      const path = at(rule.path);
      return (d) => remove(d, path);
    }
    case 'scale': {
      const path = at(rule.path);
      const { factor, offset, round } = rule;
      return (d) => {
        const value = read(d, path);
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          const what = describeValue(value);
          throw new ChangeRuleError({ zh: `无法缩放 ${path.text}：它是${what.zh}，不是数字`, en: `cannot scale ${path.text}: it is ${what.en}, not a number` });
        }
        const scaled = value * factor + offset;
        const result = round === undefined ? scaled : roundTo(scaled, round);
        if (!Number.isFinite(result)) {
          throw new ChangeRuleError({ zh: `缩放 ${path.text} 的结果超出数字范围`, en: `scaling ${path.text} overflows the number range` });
        }
        write(d, path, result);
      };
    }
    case 'convert': {
      const path = at(rule.path);
      return (d) => write(d, path, convert(read(d, path), rule.to, path));
    }
  }
}

export const change = defineNode(changeDefinition, (config, ctx) => {
  const steps = config.rules.map((rule, i) => ({ apply: compile(rule), label: `rules[${i}] (${rule.action})` }));
  return {
    onMessage(msg) {
      const draft: Draft = { ts: msg.ts, topic: msg.topic, payload: msg.payload, device: msg.device, quality: msg.quality };
      for (const step of steps) {
        try {
          step.apply(draft);
        } catch (err) {
          const text = err instanceof ChangeRuleError ? err.text : { zh: String(err), en: String(err) };
          ctx.reportError(new ChangeRuleError({ zh: `${step.label}：${text.zh}`, en: `${step.label}: ${text.en}` }), msg);
          return;
        }
      }
      ctx.send('out', ctx.message(draft));
    },
  };
});
