import { useTranslation } from 'react-i18next';
import type { Problem } from '../../../../runtime/model';
import { useLang } from '../../i18n/language';
import type { EditorContext } from '../editor-context';
import { getIn, referenceOf } from '../flow-doc';
import { ParamBinding } from './param-binding';
import type { FieldSpec } from './schema-fields';
import { DurationInput, JsonInput, NumberInput, ScheduleInput, StringListInput, TagPicker } from './field-widgets';

type Path = readonly (string | number)[];

export interface FieldEnv {
  readonly nodeId: string;
  /** The node's whole config (the tag picker looks up the node's device group in it). */
  readonly config: unknown;
  readonly context: EditorContext;
  readonly problems: (path: Path) => Problem[];
  readonly showAdvanced: boolean;
  setValue(path: Path, value: unknown): void;
  openCode(path: Path): void;
}

const domId = (nodeId: string, path: Path) => `f-${nodeId}-${path.join('-') || 'root'}`;

/** The profile of the device group this node's config refers to, for picking its tags. */
function profileOfNode(env: FieldEnv) {
  const config = env.config as Record<string, unknown> | undefined;
  for (const v of Object.values(config ?? {})) {
    const ref = referenceOf(v);
    if (ref?.kind !== 'deviceGroup') continue;
    const group = env.context.deviceGroups.find((g) => g.key === ref.key);
    if (group) return env.context.profiles[group.profile];
  }
  return undefined;
}

function rangeText(spec: FieldSpec): string | undefined {
  if (spec.kind !== 'number' && spec.kind !== 'duration') return undefined;
  if (spec.min === undefined && spec.max === undefined) return undefined;
  return `${spec.min ?? '−∞'} … ${spec.max ?? '∞'}${spec.unit ? ` ${spec.unit}` : ''}`;
}

/** The editing widget for a value that is not bound to a parameter. */
function Widget({ spec, value, env, invalid }: { spec: FieldSpec; value: unknown; env: FieldEnv; invalid: boolean }) {
  const { t } = useTranslation('editor');
  const { text } = useLang();
  const id = domId(env.nodeId, spec.path);
  const set = (v: unknown) => env.setValue(spec.path, v);
  const placeholder = spec.defaultValue !== undefined && typeof spec.defaultValue !== 'object' ? String(spec.defaultValue) : undefined;
  switch (spec.kind) {
    case 'number':
      return <NumberInput id={id} value={value} invalid={invalid} onChange={set} {...(placeholder ? { placeholder } : {})} />;
    case 'duration':
      return <DurationInput id={id} value={value} invalid={invalid} onChange={set} />;
    case 'boolean':
      return <input id={id} type="checkbox" checked={value === true || (value === undefined && spec.defaultValue === true)} aria-invalid={invalid} onChange={(e) => set(e.target.checked)} />;
    case 'enum':
      return (
        <select id={id} value={typeof value === 'string' ? value : ''} aria-invalid={invalid} onChange={(e) => set(e.target.value || undefined)}>
          {spec.optional && spec.defaultValue === undefined ? <option value="">{t('inspector.unset')}</option> : null}
          {spec.options.map((o) => <option key={o} value={o}>{o}</option>)}
        </select>
      );
    case 'string': {
      if (spec.widget === 'code') {
        const lines = typeof value === 'string' ? value.split('\n').length : 0;
        return (
          <div className="code-field">
            <pre className="code-preview">{typeof value === 'string' ? value.split('\n').slice(0, 4).join('\n') : ''}</pre>
            <button type="button" id={id} onClick={() => env.openCode(spec.path)}>{t('inspector.codeEdit')}</button>
            <span className="muted small"> {t('inspector.codeLines', { count: lines })}</span>
          </div>
        );
      }
      if (spec.widget === 'schedule') return <ScheduleInput id={id} value={value} invalid={invalid} onChange={set} />;
      if (spec.widget === 'tag') {
        const profile = profileOfNode(env);
        if (profile) return <TagPicker id={id} value={value} invalid={invalid} onChange={set} profile={profile} multiple={false} />;
      }
      if (spec.widget === 'textarea') return <textarea id={id} rows={3} value={typeof value === 'string' ? value : ''} aria-invalid={invalid} onChange={(e) => set(e.target.value)} />;
      return (
        <input
          id={id}
          value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
          aria-invalid={invalid}
          spellCheck={false}
          {...(placeholder ? { placeholder } : {})}
          {...(spec.widget === 'property-path' ? { list: 'kaiwu-property-paths' } : {})}
          onChange={(e) => set(e.target.value === '' && spec.optional ? undefined : e.target.value)}
        />
      );
    }
    case 'string-list': {
      if (spec.widget === 'tag') {
        const profile = profileOfNode(env);
        if (profile) return <TagPicker id={id} value={value} invalid={invalid} onChange={set} profile={profile} multiple />;
      }
      return <StringListInput id={id} value={value} invalid={invalid} onChange={set} />;
    }
    case 'device-group': {
      const ref = referenceOf(value);
      if (env.context.deviceGroups.length === 0 && value !== undefined && !ref) return <JsonInput id={id} value={value} invalid={invalid} onChange={set} />;
      return (
        <>
          <select id={id} value={ref?.kind === 'deviceGroup' ? ref.key : ''} aria-invalid={invalid} onChange={(e) => set(e.target.value ? { $deviceGroup: e.target.value } : undefined)}>
            <option value="">{t('inspector.chooseGroup')}</option>
            {env.context.deviceGroups.map((g) => <option key={g.key} value={g.key}>{g.key} · {text(g.label)} ({g.profile})</option>)}
            {ref?.kind === 'deviceGroup' && !env.context.deviceGroups.some((g) => g.key === ref.key) ? <option value={ref.key}>{ref.key}</option> : null}
          </select>
          {env.context.deviceGroups.length === 0 ? (
            <>
              <p className="muted small">{t('inspector.noGroups')}</p>
              <input aria-label={t('inspector.groupKey')} placeholder={t('inspector.groupKey')} value={ref?.kind === 'deviceGroup' ? ref.key : ''} onChange={(e) => set(e.target.value ? { $deviceGroup: e.target.value } : undefined)} />
            </>
          ) : null}
        </>
      );
    }
    case 'object':
      return (
        <div className={spec.text ? 'text-pair' : 'nested'}>
          {spec.fields.map((f) => (
            <ConfigField key={f.key} spec={spec.text ? { ...f, label: { zh: t(`inspector.lang.${f.key}`), en: t(`inspector.lang.${f.key}`) } } : f} value={getIn(value, [f.key])} env={env} />
          ))}
        </div>
      );
    case 'union': {
      const current = String(getIn(value, [spec.discriminator]) ?? spec.variants[0]?.value ?? '');
      const variant = spec.variants.find((v) => v.value === current) ?? spec.variants[0];
      return (
        <div className="nested">
          <select
            id={id}
            value={current}
            aria-invalid={invalid}
            onChange={(e) => {
              const next = spec.variants.find((v) => v.value === e.target.value);
              const defaults = Object.fromEntries((next?.fields ?? []).filter((f) => f.defaultValue !== undefined).map((f) => [f.key, f.defaultValue]));
              set({ [spec.discriminator]: e.target.value, ...defaults });
            }}
          >
            {spec.variants.map((v) => <option key={v.value} value={v.value}>{v.label ? text(v.label) : v.value}</option>)}
          </select>
          {variant?.fields.map((f) => <ConfigField key={f.key} spec={f} value={getIn(value, [f.key])} env={env} />)}
        </div>
      );
    }
    case 'list': {
      const items = Array.isArray(value) ? value : [];
      return (
        <div className="list">
          {items.map((item, i) => (
            <div key={i} className="list-item">
              <ConfigField spec={{ ...retarget(spec.item, [...spec.path, i]), label: { zh: `#${i + 1}`, en: `#${i + 1}` } }} value={item} env={env} />
              <button type="button" className="link" onClick={() => set(items.filter((_, j) => j !== i))}>{t('inspector.list.remove')}</button>
            </div>
          ))}
          <button type="button" onClick={() => set([...items, spec.item.kind === 'number' ? 0 : {}])}>{t('inspector.list.add')}</button>
        </div>
      );
    }
    case 'literal':
      return <code>{JSON.stringify(spec.value)}</code>;
    case 'json':
      return <JsonInput id={id} value={value} invalid={invalid} onChange={set} />;
  }
}

/** A spec moved to another path (list items share one spec). */
function retarget(spec: FieldSpec, path: Path): FieldSpec {
  const moved = { ...spec, path } as FieldSpec;
  if (moved.kind === 'object') return { ...moved, fields: moved.fields.map((f) => retarget(f, [...path, f.key])) };
  if (moved.kind === 'union') return { ...moved, variants: moved.variants.map((v) => ({ ...v, fields: v.fields.map((f) => retarget(f, [...path, f.key])) })) };
  return moved;
}

/** One field: label, widget (or its parameter binding), range, help, and its problems as you type. */
export function ConfigField({ spec, value, env }: { spec: FieldSpec; value: unknown; env: FieldEnv }) {
  const { t } = useTranslation('editor');
  const { text } = useLang();
  if (spec.advanced && !env.showAdvanced) return null;
  const problems = env.problems(spec.path);
  // Problems of nested fields show at those fields.
  const own = spec.kind === 'object' || spec.kind === 'union' || spec.kind === 'list'
    ? problems.filter((p) => isOwn(p, spec.path))
    : problems;
  const invalid = own.length > 0;
  const id = domId(env.nodeId, spec.path);
  const bindable = spec.path.length > 0 && spec.kind !== 'literal' && spec.kind !== 'device-group' && !(spec.kind === 'string' && spec.widget === 'code');
  const ref = referenceOf(value);
  const range = rangeText(spec);
  return (
    <div className={`field field-${spec.kind}${invalid ? ' invalid' : ''}`} data-field={spec.path.join('.')}>
      {spec.label || spec.key ? (
        <div className="field-head">
          <label htmlFor={id}>{spec.label ? text(spec.label) : spec.key}{spec.unit && spec.kind !== 'duration' ? <span className="unit"> ({spec.unit})</span> : null}</label>
          {bindable ? <ParamBinding spec={spec} value={value} env={env} /> : null}
        </div>
      ) : null}
      {ref?.kind === 'param' ? <p className="bound">{t('inspector.boundTo', { key: ref.key })}</p> : <Widget spec={spec} value={value} env={env} invalid={invalid} />}
      {range && ref?.kind !== 'param' ? <p className="muted small">{t('inspector.range', { range })}</p> : null}
      {spec.help ? <p className="help">{text(spec.help)}</p> : null}
      {own.map((p) => <p key={p.at + p.code} className="field-error" role="alert">{text(p.message)}</p>)}
    </div>
  );
}

function isOwn(p: Problem, path: Path): boolean {
  const i = p.path.indexOf('config');
  return i >= 0 && p.path.length - i - 1 === path.length;
}
