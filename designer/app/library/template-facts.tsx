import type { Parameter, Template } from '../../../runtime/model';
import { DEMANDS } from '../../../runtime/model';
import { useLang } from '../i18n/language';
import type { DeviceProfileEntry } from './library-types';
import { useLibraryMessages } from './use-library-messages';

/** A parameter's default as a person reads it. */
export function showValue(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "10 … 600 s", "≥ 0", "a, b, c" for a parameter. */
export function rangeText(p: Parameter): string {
  const unit = p.unit ? ` ${p.unit}` : '';
  if (p.type === 'enum') return (p.options ?? []).map(String).join(' / ');
  if (p.min !== undefined && p.max !== undefined) return `${p.min} … ${p.max}${unit}`;
  if (p.min !== undefined) return `≥ ${p.min}${unit}`;
  if (p.max !== undefined) return `≤ ${p.max}${unit}`;
  return unit.trim();
}

/** A template's scenarios (N and X with their demands), parameters and device groups with their profiles. */
export function TemplateFacts({ template, profiles }: { template: Template; profiles: readonly DeviceProfileEntry[] }) {
  const { t } = useLibraryMessages();
  const { text } = useLang();
  const n = template.scenarios.filter((s) => s.kind === 'N').length;
  const byId = new Map(profiles.map((p) => [p.id, p]));
  return (
    <>
      <div className="section">
        <h2>{t('template.scenarios')}</h2>
        <p className="muted">{t('template.scenariosIntro', { n, x: template.scenarios.length - n })}</p>
        <div className="table-wrap">
          <table className="data-table scenarios-table">
            <thead><tr><th /><th>{t('template.scenarioTitle')}</th><th>{t('template.key')}</th><th>{t('template.demands')}</th></tr></thead>
            <tbody>
              {template.scenarios.map((s) => (
                <tr key={s.key} data-scenario={s.key}>
                  <td><span className={`badge ${s.kind === 'N' ? 'n' : 'x'}`}>{t(`template.kind.${s.kind}`)}</span></td>
                  <td>{text(s.title)}{s.description ? <div className="muted">{text(s.description)}</div> : null}</td>
                  <td className="mono">{s.key}</td>
                  <td><span className="chips">{s.demands.map((d) => <span key={d} className="badge info">{text(DEMANDS[d])}</span>)}</span></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div className="section">
        <h2>{t('template.parameters')}</h2>
        <div className="table-wrap">
          <table className="data-table">
            <thead><tr><th>{t('template.parameter')}</th><th>{t('template.key')}</th><th>{t('template.type')}</th><th>{t('template.default')}</th><th>{t('template.range')}</th><th>{t('template.required')}</th></tr></thead>
            <tbody>
              {template.parameters.map((p) => (
                <tr key={p.key}>
                  <td>{text(p.label)}{p.help ? <div className="muted">{text(p.help)}</div> : null}</td>
                  <td className="mono">{p.key}</td>
                  <td>{t(`paramType.${p.type}`)}</td>
                  <td className="mono">{showValue(p.default)}</td>
                  <td>{rangeText(p)}</td>
                  <td>{p.required && p.default === undefined ? '✓' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div className="section">
        <h2>{t('template.deviceGroups')}</h2>
        <div className="table-wrap">
          <table className="data-table">
            <thead><tr><th>{t('template.group')}</th><th>{t('template.profile')}</th><th>{t('template.vendorModel')}</th><th className="num">{t('template.tags')}</th><th>{t('template.count')}</th></tr></thead>
            <tbody>
              {template.deviceGroups.map((g) => {
                const profile = byId.get(g.profile);
                return (
                  <tr key={g.key}>
                    <td>{text(g.label)} <span className="mono muted">{g.key}</span></td>
                    <td>{profile ? text(profile.title) : null} <span className="mono muted">{g.profile}</span></td>
                    <td>{profile?.vendorModel ?? ''}</td>
                    <td className="num">{profile?.tags.length ?? ''}</td>
                    <td>{t('template.countRange', { min: g.min, max: g.max })}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
    </>
  );
}
