import type { z } from 'zod';
import type { FieldMeta } from '../../../../nodes/sdk';
import { fieldMeta } from '../../../../nodes/sdk';
import type { Text } from '../../../../runtime/model';

type Path = readonly (string | number)[];

/** One field of a generated form, read from the node's zod config schema and its `field()` hints. */
export type FieldSpec =
  | (Base & { kind: 'number'; integer: boolean; min?: number; max?: number })
  | (Base & { kind: 'duration'; min?: number; max?: number })
  | (Base & { kind: 'string'; widget?: FieldMeta['widget']; minLength?: number })
  | (Base & { kind: 'boolean' })
  | (Base & { kind: 'enum'; options: readonly string[] })
  | (Base & { kind: 'literal'; value: unknown })
  | (Base & { kind: 'string-list'; widget?: FieldMeta['widget'] })
  | (Base & { kind: 'device-group' })
  | (Base & { kind: 'object'; fields: readonly FieldSpec[]; text: boolean })
  | (Base & { kind: 'list'; item: FieldSpec })
  | (Base & { kind: 'union'; discriminator: string; variants: readonly { value: string; label: Text | undefined; fields: readonly FieldSpec[] }[] })
  | (Base & { kind: 'json' });

interface Base {
  readonly key: string;
  readonly path: Path;
  readonly label: Text | undefined;
  readonly help?: Text;
  readonly unit?: string;
  readonly advanced: boolean;
  /** The field may be left empty (optional or has a default). */
  readonly optional: boolean;
  readonly defaultValue?: unknown;
  readonly language?: 'javascript';
}

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly entries?: Record<string, string>;
  readonly values?: readonly unknown[];
  readonly discriminator?: string;
  readonly defaultValue?: unknown;
}
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Peels optional/default/nullable/pipe wrappers, collecting the hints and defaults on the way. */
function unwrap(schema: z.ZodType): { core: z.ZodType; meta: FieldMeta | undefined; optional: boolean; defaultValue?: unknown } {
  let s = schema;
  let meta = fieldMeta(s);
  let optional = false;
  let defaultValue: unknown;
  for (let i = 0; i < 20; i++) {
    const d = defOf(s);
    if (d.type === 'optional' || d.type === 'nullable' || d.type === 'readonly' || d.type === 'catch' || d.type === 'nonoptional') {
      if (d.type === 'optional') optional = true;
      s = d.innerType!;
    } else if (d.type === 'default' || d.type === 'prefault') {
      optional = true;
      if (defaultValue === undefined) defaultValue = typeof d.defaultValue === 'function' ? (d.defaultValue as () => unknown)() : d.defaultValue;
      s = d.innerType!;
    } else if (d.type === 'pipe') {
      s = d.in!;
    } else break;
    meta ??= fieldMeta(s);
  }
  return { core: s, meta, optional, ...(defaultValue === undefined ? {} : { defaultValue }) };
}

const bag = (s: z.ZodType) => s as unknown as { minValue?: number | null; maxValue?: number | null; isInt?: boolean; minLength?: number | null };
const finite = (n: number | null | undefined) => (typeof n === 'number' && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined);

/** The form of a schema at `path` (the root of a node's config is `[]`). */
export function fieldSpec(schema: z.ZodType, path: Path = [], key = ''): FieldSpec {
  const { core, meta, optional, defaultValue } = unwrap(schema);
  const d = defOf(core);
  const base = {
    key, path, label: meta?.label, advanced: meta?.advanced ?? false, optional,
    ...(meta?.help ? { help: meta.help } : {}), ...(meta?.unit ? { unit: meta.unit } : {}),
    ...(meta?.language ? { language: meta.language } : {}), ...(defaultValue === undefined ? {} : { defaultValue }),
  };
  const widget = meta?.widget;
  if (widget === 'device-group') return { ...base, kind: 'device-group' };
  if (widget === 'json') return { ...base, kind: 'json' };
  switch (d.type) {
    case 'number': {
      const b = bag(core);
      const range = { ...(finite(b.minValue) === undefined ? {} : { min: finite(b.minValue)! }), ...(finite(b.maxValue) === undefined ? {} : { max: finite(b.maxValue)! }) };
      if (widget === 'duration') return { ...base, kind: 'duration', ...range };
      return { ...base, kind: 'number', integer: b.isInt ?? false, ...range };
    }
    case 'string': {
      const min = finite(bag(core).minLength);
      return { ...base, kind: 'string', ...(widget ? { widget } : {}), ...(min === undefined ? {} : { minLength: min }) };
    }
    case 'boolean': return { ...base, kind: 'boolean' };
    case 'enum': return { ...base, kind: 'enum', options: Object.values(d.entries ?? {}) };
    case 'literal': return { ...base, kind: 'literal', value: d.values?.[0] };
    case 'array': {
      const item = fieldSpec(d.element!, [...path, 0], '');
      if (item.kind === 'string' || item.kind === 'enum') return { ...base, kind: 'string-list', ...(widget ? { widget } : {}) };
      if (item.kind === 'object' || item.kind === 'number') return { ...base, kind: 'list', item };
      return { ...base, kind: 'json' };
    }
    case 'object': {
      const shape = d.shape ?? {};
      const keys = Object.keys(shape);
      const text = keys.length === 2 && keys.includes('zh') && keys.includes('en');
      return { ...base, kind: 'object', text, fields: keys.map((k) => fieldSpec(shape[k]!, [...path, k], k)) };
    }
    case 'union': {
      const options = d.options ?? [];
      const discriminator = d.discriminator ?? discriminatorOf(options);
      if (!discriminator) return { ...base, kind: 'json' };
      const variants = options.map((o) => {
        const spec = fieldSpec(o, path, key);
        const fields = spec.kind === 'object' ? spec.fields : [];
        const tag = fields.find((f) => f.key === discriminator);
        const value = tag?.kind === 'literal' ? String(tag.value) : '';
        return { value, label: spec.label, fields: fields.filter((f) => f.key !== discriminator) };
      });
      return { ...base, kind: 'union', discriminator, variants };
    }
    default:
      return { ...base, kind: 'json' };
  }
}

/** The key whose value is a literal in every option of a union of objects. */
function discriminatorOf(options: readonly z.ZodType[]): string | undefined {
  const shapes = options.map((o) => defOf(unwrap(o).core).shape);
  if (shapes.length === 0 || shapes.some((s) => !s)) return undefined;
  return Object.keys(shapes[0]!).find((k) => shapes.every((s) => s![k] && defOf(unwrap(s![k]).core).type === 'literal'));
}

const cache = new WeakMap<z.ZodType, FieldSpec>();

/** {@link fieldSpec} of a node's config schema, computed once per schema. */
export function configForm(schema: z.ZodType): FieldSpec {
  let spec = cache.get(schema);
  if (!spec) {
    spec = fieldSpec(schema);
    cache.set(schema, spec);
  }
  return spec;
}
