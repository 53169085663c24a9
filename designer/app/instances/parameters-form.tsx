import { useId } from 'react';
import type { Parameter } from '../../../runtime/model';
import type { ApiErrorDetail } from '../api';
import { useLang } from '../i18n/language';
import { rangeText, showValue } from '../library/template-facts';
import { FieldProblems } from '../library/ui/api-error-box';
import { detailsUnder } from '../library/ui/api-problems';
import type { ParameterInput } from './parameter-values';
import { parameterProblem, toInput } from './parameter-values';
import { useInstancesMessages } from './use-instances-messages';

interface Props {
  readonly parameters: readonly Parameter[];
  readonly inputs: Readonly<Record<string, ParameterInput>>;
  readonly onChange: (key: string, value: ParameterInput) => void;
  /** The studio's problems of the last save (shown on the field their path names). */
  readonly problems: readonly ApiErrorDetail[];
  readonly readOnly?: boolean;
}

/**
 * A template's parameters as a form: the right input per type, the default and range beside it,
 * and each value checked as it is typed with runtime/model's checkParameter — the same check the
 * studio and the runtime make — plus the studio's own answer on the field it names.
 */
export function ParametersForm({ parameters, inputs, onChange, problems, readOnly = false }: Props) {
  const { t } = useInstancesMessages();
  const { text } = useLang();
  const id = useId();
  return (
    <div className="param-grid">
      {parameters.map((p) => {
        const input = inputs[p.key] ?? toInput(p, undefined);
        const local = parameterProblem(p, input);
        const remote = detailsUnder(problems, ['parameters', p.key]).map((d) => text(d.message));
        const messages = [...(local ? [text(local)] : []), ...remote.filter((m) => !local || m !== text(local))];
        const field = `${id}-${p.key}`;
        const hint = [
          p.default !== undefined ? t('parameters.default', { value: showValue(p.default) }) : '',
          rangeText(p) && p.type !== 'enum' ? t('parameters.range', { range: rangeText(p) }) : '',
          p.type === 'duration' ? t('parameters.duration') : '',
        ].filter(Boolean).join(' · ');
        const common = {
          id: field,
          name: `parameters.${p.key}`,
          'aria-invalid': messages.length > 0,
          'aria-describedby': `${field}-hint ${field}-problems`,
          disabled: readOnly,
          'data-param': p.key,
        } as const;
        return (
          <div key={p.key} className={`param-field${messages.length > 0 ? ' invalid' : ''}`}>
            <label htmlFor={field}>
              {text(p.label)} <span className="mono muted">{p.key}</span>
            </label>
            <div className="param-input">
              {p.type === 'boolean' ? (
                <input type="checkbox" {...common} checked={input === true} onChange={(e) => onChange(p.key, e.target.checked)} />
              ) : p.type === 'enum' ? (
                <select {...common} value={String(input)} onChange={(e) => onChange(p.key, e.target.value)}>
                  <option value="">{p.default !== undefined ? t('parameters.default', { value: showValue(p.default) }) : ''}</option>
                  {(p.options ?? []).map((o) => <option key={String(o)} value={String(o)}>{String(o)}</option>)}
                </select>
              ) : (
                <input
                  type="text"
                  inputMode={p.type === 'number' || p.type === 'integer' ? 'decimal' : undefined}
                  {...common}
                  value={String(input)}
                  placeholder={p.default !== undefined ? showValue(p.default) : ''}
                  onChange={(e) => onChange(p.key, e.target.value)}
                />
              )}
              {p.unit ? <span className="param-unit">{p.unit}</span> : null}
            </div>
            <div className="param-hint muted" id={`${field}-hint`}>{[p.help ? text(p.help) : '', hint].filter(Boolean).join(' · ')}</div>
            <FieldProblems id={`${field}-problems`} messages={messages} />
          </div>
        );
      })}
    </div>
  );
}
