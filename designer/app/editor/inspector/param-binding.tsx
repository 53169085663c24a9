import { useTranslation } from 'react-i18next';
import type { Parameter } from '../../../../runtime/model';
import { useLang } from '../../i18n/language';
import { referenceOf } from '../flow-doc';
import type { FieldEnv } from './config-field';
import type { FieldSpec } from './schema-fields';

const fits = (spec: FieldSpec, p: Parameter): boolean => {
  switch (spec.kind) {
    case 'number': return p.type === 'number' || p.type === 'integer' || p.type === 'duration';
    case 'duration': return p.type === 'duration' || p.type === 'integer' || p.type === 'number';
    case 'boolean': return p.type === 'boolean';
    case 'string': case 'enum': return p.type === 'string' || p.type === 'enum';
    default: return true;
  }
};

/** Binds a field to a template parameter (`{ "$param": "key" }`), or lets it go. */
export function ParamBinding({ spec, value, env }: { spec: FieldSpec; value: unknown; env: FieldEnv }) {
  const { t } = useTranslation('editor');
  const { text } = useLang();
  const ref = referenceOf(value);
  const bound = ref?.kind === 'param';
  const params = env.context.parameters.filter((p) => fits(spec, p));
  if (!bound) {
    return (
      <button
        type="button"
        className="bind"
        title={t('inspector.bind')}
        aria-label={t('inspector.bind')}
        onClick={() => env.setValue(spec.path, { $param: params[0]?.key ?? spec.key })}
      >
        {'{ }'}
      </button>
    );
  }
  return (
    <span className="binding">
      {params.length > 0 ? (
        <select aria-label={t('inspector.paramKey')} value={ref.key} onChange={(e) => env.setValue(spec.path, { $param: e.target.value })}>
          {params.some((p) => p.key === ref.key) ? null : <option value={ref.key}>{ref.key}</option>}
          {params.map((p) => <option key={p.key} value={p.key}>{p.key} · {text(p.label)}</option>)}
        </select>
      ) : (
        <input aria-label={t('inspector.paramKey')} value={ref.key} onChange={(e) => env.setValue(spec.path, { $param: e.target.value })} />
      )}
      <button type="button" className="link" onClick={() => env.setValue(spec.path, spec.defaultValue)}>{t('inspector.unbind')}</button>
    </span>
  );
}
