import type { Template } from '../../../runtime/model';
import { DEMANDS } from '../../../runtime/model';
import type { ApiErrorDetail } from '../api';
import { useLang } from '../i18n/language';
import { FieldProblems } from '../library/ui/api-error-box';
import { detailsUnder } from '../library/ui/api-problems';
import { useInstancesMessages } from './use-instances-messages';

/** The template's scenarios: N shown as always on, X as boxes to tick, each with its demands. */
export function ScenarioPicker({ template, chosen, onChange, problems, readOnly = false }: {
  template: Template;
  chosen: readonly string[];
  onChange: (key: string, on: boolean) => void;
  problems: readonly ApiErrorDetail[];
  readOnly?: boolean;
}) {
  const { t } = useInstancesMessages();
  const { text } = useLang();
  const row = (key: string, kind: 'N' | 'X') => {
    const s = template.scenarios.find((x) => x.key === key)!;
    return (
      <label key={s.key} className={`scenario-option kind-${kind}`} data-scenario={s.key}>
        <input type="checkbox" name={`scenario.${s.key}`} checked={kind === 'N' || chosen.includes(s.key)} disabled={kind === 'N' || readOnly} onChange={(e) => onChange(s.key, e.target.checked)} />
        <span className={`badge ${kind === 'N' ? 'n' : 'x'}`}>{kind}</span>
        <span className="scenario-text">
          <strong>{text(s.title)}</strong> <span className="mono muted">{s.key}</span>
          {s.description ? <span className="muted scenario-desc">{text(s.description)}</span> : null}
          <span className="chips">{s.demands.map((d) => <span key={d} className="badge info">{text(DEMANDS[d])}</span>)}</span>
        </span>
      </label>
    );
  };
  return (
    <div className="scenario-picker">
      <h3>{t('scenarios.base')}</h3>
      {template.scenarios.filter((s) => s.kind === 'N').map((s) => row(s.key, 'N'))}
      <h3>{t('scenarios.optional')}</h3>
      {template.scenarios.filter((s) => s.kind === 'X').map((s) => row(s.key, 'X'))}
      <FieldProblems messages={detailsUnder(problems, ['scenarios']).map((d) => text(d.message))} />
    </div>
  );
}
