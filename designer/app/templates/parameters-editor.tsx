import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { PARAMETER_TYPES } from '../../../runtime/model';
import { FieldProblems } from './field-problems';
import { countReferences } from './references';
import type { ParameterDraft } from './template-doc';
import { formatDefault, parseDefault, parseOptions } from './template-doc';
import { problemsAt } from './problem-paths';
import { useProblemList, useTemplate, useTemplateApi } from './use-template';

const num = (s: string): number | undefined => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));

function DefaultInput({ p, index, onChange, invalid }: { p: ParameterDraft; index: number; onChange: (v: unknown) => void; invalid: boolean }) {
  const { t } = useTranslation('templates');
  const id = `param-${index}-default`;
  const label = `${p.key} · ${t('parameters.default')}`;
  if (p.type === 'boolean') {
    return (
      <select id={id} aria-label={label} aria-invalid={invalid} value={p.default === undefined ? '' : String(p.default)} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'true')}>
        <option value="">{t('common.none')}</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  if (p.type === 'enum' && p.options && p.options.length > 0) {
    return (
      <select id={id} aria-label={label} aria-invalid={invalid} value={formatDefault(p.default)} onChange={(e) => onChange(parseDefault('enum', e.target.value))}>
        <option value="">{t('common.none')}</option>
        {p.options.map((o) => <option key={String(o)} value={String(o)}>{String(o)}</option>)}
      </select>
    );
  }
  return (
    <input
      id={id}
      aria-label={label}
      aria-invalid={invalid}
      value={formatDefault(p.default)}
      inputMode={p.type === 'number' || p.type === 'integer' ? 'decimal' : undefined}
      placeholder={p.type === 'duration' ? t('parameters.durationHint') : undefined}
      onChange={(e) => onChange(parseDefault(p.type, e.target.value))}
    />
  );
}

function ParameterRow({ p, index, count, refs, readOnly }: { p: ParameterDraft; index: number; count: number; refs: number; readOnly: boolean }) {
  const { t } = useTranslation('templates');
  const store = useTemplateApi();
  const set = (patch: Partial<ParameterDraft>) => store.getState().setParameter(index, patch);
  const list = useProblemList();
  const problems = problemsAt(list, 'parameters', index);
  const at = (field: string) => problemsAt(list, 'parameters', index, field);
  const numeric = p.type === 'number' || p.type === 'integer' || p.type === 'duration';
  return (
    <>
      <tr className={problems.length > 0 ? 'invalid' : undefined} data-row={index} data-key={p.key}>
        <td><input aria-label={t('parameters.key')} value={p.key} aria-invalid={at('key').length > 0} onChange={(e) => set({ key: e.target.value })} /></td>
        <td>
          <select aria-label={t('parameters.type')} value={p.type} onChange={(e) => set({ type: e.target.value as ParameterDraft['type'] })}>
            {PARAMETER_TYPES.map((type) => <option key={type} value={type}>{t(`parameters.types.${type}`)}</option>)}
          </select>
        </td>
        <td><input aria-label={t('parameters.labelZh')} value={p.label?.zh ?? ''} aria-invalid={at('label').length > 0} onChange={(e) => set({ label: { ...p.label, zh: e.target.value } })} /></td>
        <td><input aria-label={t('parameters.labelEn')} value={p.label?.en ?? ''} aria-invalid={at('label').length > 0} onChange={(e) => set({ label: { ...p.label, en: e.target.value } })} /></td>
        <td><DefaultInput p={p} index={index} invalid={at('default').length > 0} onChange={(v) => set({ default: v })} /></td>
        <td><input className="num" aria-label={t('parameters.min')} value={p.min ?? ''} disabled={!numeric} aria-invalid={at('min').length > 0} onChange={(e) => set({ min: num(e.target.value) })} /></td>
        <td><input className="num" aria-label={t('parameters.max')} value={p.max ?? ''} disabled={!numeric} aria-invalid={at('max').length > 0} onChange={(e) => set({ max: num(e.target.value) })} /></td>
        <td><input className="unit" aria-label={t('parameters.unit')} value={p.unit ?? ''} aria-invalid={at('unit').length > 0} onChange={(e) => set({ unit: e.target.value || undefined })} /></td>
        <td className="center"><input type="checkbox" aria-label={t('parameters.required')} checked={p.required !== false} onChange={(e) => set({ required: e.target.checked })} /></td>
        <td>
          <input
            aria-label={t('parameters.options')}
            value={(p.options ?? []).join(', ')}
            disabled={p.type !== 'enum'}
            aria-invalid={at('options').length > 0}
            onChange={(e) => set({ options: parseOptions(e.target.value) })}
          />
        </td>
        <td className="muted small nowrap">{refs > 0 ? t('parameters.refs', { count: refs }) : ''}</td>
        <td className="nowrap row-actions">
          {readOnly ? null : (
            <>
              <button type="button" className="icon" title={t('common.up')} aria-label={t('common.up')} disabled={index === 0} onClick={() => store.getState().moveParameter(index, index - 1)}>↑</button>
              <button type="button" className="icon" title={t('common.down')} aria-label={t('common.down')} disabled={index === count - 1} onClick={() => store.getState().moveParameter(index, index + 1)}>↓</button>
              <button type="button" className="icon danger" title={t('common.remove')} aria-label={t('common.remove')} onClick={() => store.getState().removeParameter(index)}>×</button>
            </>
          )}
        </td>
      </tr>
      {problems.length > 0 ? (
        <tr className="row-problems"><td colSpan={12}><FieldProblems problems={problems} /></td></tr>
      ) : null}
    </>
  );
}

/** The template's typed parameters: key, type, labels, default, range, unit, required, options. */
export function ParametersEditor({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation('templates');
  const store = useTemplateApi();
  const parameters = useTemplate((s) => s.draft.parameters);
  const flows = useStore(store.editor, (s) => s.flows);
  const refs = useMemo(() => countReferences(flows).params, [flows]);
  const general = problemsAt(useProblemList().filter((l) => l.place.index === undefined), 'parameters', undefined);
  return (
    <section className="tpl-section parameters-editor" aria-label={t('parameters.title')}>
      <header className="section-head">
        <div>
          <h2>{t('parameters.title')}</h2>
          <p className="muted small">{t('parameters.intro')}</p>
        </div>
        {readOnly ? null : <button type="button" className="primary" onClick={() => store.getState().addParameter()}>+ {t('parameters.add')}</button>}
      </header>
      <FieldProblems problems={general} />
      {parameters.length === 0 ? <p className="muted">{t('parameters.empty')}</p> : (
        <fieldset disabled={readOnly} className="table-wrap">
          <table className="grid-table">
            <thead>
              <tr>
                <th>{t('parameters.key')}</th><th>{t('parameters.type')}</th><th>{t('parameters.labelZh')}</th><th>{t('parameters.labelEn')}</th>
                <th>{t('parameters.default')}</th><th>{t('parameters.min')}</th><th>{t('parameters.max')}</th><th>{t('parameters.unit')}</th>
                <th>{t('parameters.required')}</th><th>{t('parameters.options')}</th><th /><th />
              </tr>
            </thead>
            <tbody>
              {parameters.map((p, i) => <ParameterRow key={i} p={p} index={i} count={parameters.length} refs={refs[p.key] ?? 0} readOnly={readOnly} />)}
            </tbody>
          </table>
        </fieldset>
      )}
    </section>
  );
}
