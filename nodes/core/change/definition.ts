import { field, port, z } from '../../sdk';
import type { NodeDefinition, Text } from '../../sdk';

/** The message fields a path may start with. */
export const PATH_ROOTS = ['payload', 'topic', 'device', 'quality', 'ts'] as const;
export type PathRoot = (typeof PATH_ROOTS)[number];

/** What a path can hold; `any` is the payload, which carries whatever the device sent. */
export type PathKind = 'any' | 'string' | 'quality' | 'number';

export interface ParsedPath {
  readonly text: string;
  readonly root: PathRoot;
  /** Keys below `payload`; always empty for the other roots. */
  readonly keys: readonly string[];
  readonly kind: PathKind;
}

const KIND_OF_ROOT: Record<PathRoot, PathKind> = { payload: 'any', topic: 'string', device: 'string', quality: 'quality', ts: 'number' };

const KIND_TEXT: Record<Exclude<PathKind, 'any'>, Text> = {
  string: { zh: '文本', en: 'text' },
  quality: { zh: '质量（good/bad/uncertain）', en: 'a quality (good/bad/uncertain)' },
  number: { zh: '数字', en: 'a number' },
};

/** Names a JSON value's type in both languages, for error texts. */
export function describeValue(value: unknown): Text {
  if (value === undefined) return { zh: '空（不存在）', en: 'missing' };
  if (value === null) return { zh: 'null', en: 'null' };
  if (Array.isArray(value)) return { zh: '数组', en: 'an array' };
  switch (typeof value) {
    case 'string': return { zh: `文本 ${JSON.stringify(value)}`, en: `the text ${JSON.stringify(value)}` };
    case 'number': return { zh: `数字 ${value}`, en: `the number ${value}` };
    case 'boolean': return { zh: `布尔值 ${value}`, en: `the boolean ${value}` };
    case 'object': return { zh: '对象', en: 'an object' };
    default: return { zh: typeof value, en: typeof value };
  }
}

/** Reads `payload.temp.value` into its parts, or says in both languages why it is not a path. */
export function parsePath(text: string): ParsedPath | Text {
  if (text === '') return { zh: '路径不能为空', en: 'the path is empty' };
  const parts = text.split('.');
  const root = parts[0] as PathRoot;
  if (!(PATH_ROOTS as readonly string[]).includes(root)) {
    return {
      zh: `路径 “${text}” 必须以 payload、topic、device、quality 或 ts 开头`,
      en: `path "${text}" must start with payload, topic, device, quality or ts`,
    };
  }
  const keys = parts.slice(1);
  if (keys.length > 0 && root !== 'payload') {
    return {
      zh: `路径 “${text}” 无效：${root} 是${KIND_TEXT[KIND_OF_ROOT[root] as Exclude<PathKind, 'any'>].zh}，没有下级字段；只有 payload 可以继续向下`,
      en: `path "${text}" is invalid: ${root} is ${KIND_TEXT[KIND_OF_ROOT[root] as Exclude<PathKind, 'any'>].en} and has no fields; only payload paths go deeper`,
    };
  }
  if (keys.some((k) => k === '')) {
    return { zh: `路径 “${text}” 中有空的字段名（多余的 “.”）`, en: `path "${text}" has an empty field name (a stray ".")` };
  }
  // Writing "__proto__" would change an object's prototype instead of adding a field.
  if (keys.includes('__proto__')) return { zh: `路径 “${text}” 不能包含 __proto__`, en: `path "${text}" must not contain __proto__` };
  return { text, root, keys, kind: KIND_OF_ROOT[root] };
}

/** Whether `value` may be stored at a path of this kind. */
export function fitsKind(kind: PathKind, value: unknown): boolean {
  switch (kind) {
    case 'any': return true;
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'quality': return value === 'good' || value === 'bad' || value === 'uncertain';
  }
}

function kindMismatch(path: ParsedPath, what: Text): Text {
  const want = KIND_TEXT[path.kind as Exclude<PathKind, 'any'>];
  return { zh: `${path.text} 只能是${want.zh}，不能是${what.zh}`, en: `${path.text} must be ${want.en}, not ${what.en}` };
}

type RefineCtx = z.core.$RefinementCtx;

function issue(ctx: RefineCtx, path: string, text: Text) {
  ctx.addIssue({ code: 'custom', path: [path], message: text.en, params: { zh: text.zh } });
}

/** A path that parsed; the shape check already reported the ones that did not. */
function parsed(text: unknown): ParsedPath | undefined {
  if (typeof text !== 'string') return undefined;
  const p = parsePath(text);
  return 'root' in p ? p : undefined;
}

/** Whether a value read from `from` can ever land in `to`; payload values are checked per message. */
function checkFlow(ctx: RefineCtx, fromText: unknown, toText: unknown) {
  const from = parsed(fromText);
  const to = parsed(toText);
  if (!from || !to || from.kind === 'any' || to.kind === 'any' || from.kind === to.kind) return;
  // A quality is a string; a string may be a quality, so that one waits for the value.
  if ((from.kind === 'quality' && to.kind === 'string') || (from.kind === 'string' && to.kind === 'quality')) return;
  issue(ctx, 'to', kindMismatch(to, KIND_TEXT[from.kind]));
}

function checkRemovable(ctx: RefineCtx, key: string, text: unknown, verb: Text) {
  const p = parsed(text);
  if (!p || p.root === 'payload' || p.root === 'device') return;
  issue(ctx, key, {
    zh: `不能${verb.zh} ${p.root}：每条消息都必须有 ${p.root}（可以改为设置它的值）`,
    en: `${p.root} cannot be ${verb.en}: every message has one (set its value instead)`,
  });
}

/** A path field whose error names the exact reason. */
const pathField = (label: Text, help?: Text) => field(z.string().superRefine((s, ctx) => {
  const p = parsePath(s);
  if (!('root' in p)) ctx.addIssue({ code: 'custom', message: p.en, params: { zh: p.zh } });
}), { label, ...(help ? { help } : {}), widget: 'property-path' });

const PATH_HELP: Text = { zh: '如 payload.temp.value、topic、device、quality、ts', en: 'e.g. payload.temp.value, topic, device, quality, ts' };

const SetRule = z.object({
  action: z.literal('set'),
  path: pathField({ zh: '目标路径', en: 'Path' }, PATH_HELP),
  value: field(z.json().optional(), { label: { zh: '值', en: 'Value' }, help: { zh: '任意 JSON 值', en: 'Any JSON value' }, widget: 'json' }),
}).superRefine((rule, ctx) => {
  if (rule.value === undefined) {
    issue(ctx, 'value', { zh: '“设置”规则需要一个值', en: 'a "set" rule needs a value' });
    return;
  }
  const p = parsed(rule.path);
  if (p && !fitsKind(p.kind, rule.value)) issue(ctx, 'value', kindMismatch(p, describeValue(rule.value)));
});

const CopyRule = z.object({
  action: z.literal('copy'),
  from: pathField({ zh: '来源路径', en: 'From' }, PATH_HELP),
  to: pathField({ zh: '目标路径', en: 'To' }, PATH_HELP),
}).superRefine((rule, ctx) => checkFlow(ctx, rule.from, rule.to));

const MoveRule = z.object({
  action: z.literal('move'),
  from: pathField({ zh: '来源路径', en: 'From' }, PATH_HELP),
  to: pathField({ zh: '目标路径', en: 'To' }, PATH_HELP),
}).superRefine((rule, ctx) => {
  checkRemovable(ctx, 'from', rule.from, { zh: '移走', en: 'moved away' });
  checkFlow(ctx, rule.from, rule.to);
});

const DeleteRule = z.object({
  action: z.literal('delete'),
  path: pathField({ zh: '删除的路径', en: 'Path' }, { zh: 'payload 下的字段，或 device', en: 'A field under payload, or device' }),
}).superRefine((rule, ctx) => checkRemovable(ctx, 'path', rule.path, { zh: '删除', en: 'deleted' }));

const ScaleRule = z.object({
  action: z.literal('scale'),
  path: pathField({ zh: '数值路径', en: 'Path' }, { zh: '结果 = 值 × 系数 + 偏移', en: 'result = value × factor + offset' }),
  factor: field(z.number().default(1), { label: { zh: '系数', en: 'Factor' } }),
  offset: field(z.number().default(0), { label: { zh: '偏移', en: 'Offset' } }),
  round: field(z.number().int().min(0).max(10).optional(), {
    label: { zh: '保留小数位', en: 'Decimal places' },
    help: { zh: '留空则不取整；0 取整数', en: 'Empty: no rounding; 0: whole numbers' },
  }),
}).superRefine((rule, ctx) => {
  const p = parsed(rule.path);
  if (p && p.kind !== 'any' && p.kind !== 'number') issue(ctx, 'path', {
    zh: `不能缩放 ${p.text}：它是${KIND_TEXT[p.kind].zh}，不是数字`,
    en: `cannot scale ${p.text}: it is ${KIND_TEXT[p.kind].en}, not a number`,
  });
});

const CONVERT_TO = ['number', 'string', 'boolean'] as const;

const ConvertRule = z.object({
  action: z.literal('convert'),
  path: pathField({ zh: '路径', en: 'Path' }, PATH_HELP),
  to: field(z.enum(CONVERT_TO), { label: { zh: '转换为', en: 'Convert to' } }),
}).superRefine((rule, ctx) => {
  const p = parsed(rule.path);
  if (!p || p.kind === 'any' || !(CONVERT_TO as readonly string[]).includes(rule.to)) return;
  const result = rule.to === 'number' ? 'number' : rule.to === 'string' ? 'string' : undefined;
  const fits = result === p.kind || (result === 'string' && p.kind === 'quality');
  if (!fits) {
    const target: Text = rule.to === 'number' ? KIND_TEXT.number : rule.to === 'string' ? KIND_TEXT.string : { zh: '布尔值', en: 'a boolean' };
    issue(ctx, 'to', {
      zh: `${p.text} 只能是${KIND_TEXT[p.kind].zh}，不能转换为${target.zh}`,
      en: `${p.text} must be ${KIND_TEXT[p.kind].en}; it cannot be converted to ${target.en}`,
    });
  }
});

export const ChangeRuleSchema = z.discriminatedUnion('action', [SetRule, CopyRule, MoveRule, DeleteRule, ScaleRule, ConvertRule]);
export type ChangeRule = z.infer<typeof ChangeRuleSchema>;

export const changeConfig = z.object({
  rules: field(z.array(ChangeRuleSchema).min(1), {
    label: { zh: '规则', en: 'Rules' },
    help: { zh: '按顺序执行；每条规则看到前面规则的结果', en: 'Applied in order; each rule sees the result of those before it' },
  }),
});
export type ChangeConfig = z.infer<typeof changeConfig>;

export const changeDefinition: NodeDefinition<ChangeConfig> & { config: typeof changeConfig } = {
  type: 'change',
  version: 1,
  category: 'data',
  icon: '✎',
  title: { zh: '修改', en: 'Change' },
  summary: {
    zh: '不写代码修改消息：设置、复制、移动、删除、缩放、转换字段',
    en: 'Edits messages without code: set, copy, move, delete, scale or convert fields',
  },
  inputs: [port('in', '输入', 'in')],
  outputs: [port('out', '输出', 'out')],
  config: changeConfig,
};
