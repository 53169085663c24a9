import { defineNode } from '../../sdk';
import type { Message } from '../../sdk';
import type { SwitchRuleConfig } from './definition';
import { switchDefinition } from './definition';

type Read = (msg: Message) => unknown;
type Test = (value: unknown) => boolean;

function reader(path: string): Read {
  const parts = path.split('.');
  const root = parts[0] as keyof Message;
  if (parts.length === 1) return (msg) => msg[root];
  const rest = parts.slice(1);
  return (msg) => {
    let v: unknown = msg[root];
    for (const p of rest) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string, unknown>)[p];
    }
    return v;
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Compiles a rule into a predicate once, so a message costs a property read and a compare. */
export function compileTest(rule: SwitchRuleConfig): Test {
  const v = rule.value;
  const n = v as number;
  switch (rule.op) {
    case 'eq': return (x) => sameJson(x, v);
    case 'neq': return (x) => !sameJson(x, v);
    case 'gt': return (x) => typeof x === 'number' && x > n;
    case 'gte': return (x) => typeof x === 'number' && x >= n;
    case 'lt': return (x) => typeof x === 'number' && x < n;
    case 'lte': return (x) => typeof x === 'number' && x <= n;
    case 'between': {
      const hi = rule.value2!;
      return (x) => typeof x === 'number' && x >= n && x <= hi;
    }
    case 'in': {
      const list = v as unknown[];
      return (x) => list.some((item) => sameJson(item, x));
    }
    case 'contains': return (x) => (typeof x === 'string' && typeof v === 'string' ? x.includes(v) : Array.isArray(x) && x.some((item) => sameJson(item, v)));
    case 'regex': {
      const re = new RegExp(v as string);
      return (x) => typeof x === 'string' && re.test(x);
    }
    case 'exists': return (x) => x !== undefined && x !== null;
    case 'missing': return (x) => x === undefined || x === null;
    case 'is-number': return (x) => typeof x === 'number' && Number.isFinite(x);
    case 'is-string': return (x) => typeof x === 'string';
    case 'is-true': return (x) => x === true;
    case 'is-false': return (x) => x === false;
  }
}

export const switchNode = defineNode(switchDefinition, (config, ctx) => {
  const rules = config.rules.map((r) => ({ port: r.port, read: reader(r.property), test: compileTest(r) }));
  const { checkAll, otherwise } = config;
  return {
    onMessage(msg) {
      let matched = false;
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i]!;
        if (r.test(r.read(msg))) {
          ctx.send(r.port, msg);
          matched = true;
          if (!checkAll) return;
        }
      }
      if (!matched && otherwise !== undefined) ctx.send(otherwise, msg);
    },
  };
});
