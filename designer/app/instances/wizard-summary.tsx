import { useLang } from '../i18n/language';
import { useUi } from '../library/ui/use-ui';
import { parameterPatch } from './parameter-values';
import type { WizardState } from './wizard-state';
import { useInstancesMessages } from './use-instances-messages';

/** What the check will send: enterprise, site, X scenarios, changed parameters, devices per group. */
export function WizardSummary({ s }: { s: WizardState }) {
  const { t } = useInstancesMessages();
  const ui = useUi();
  const { text } = useLang();
  const changed = parameterPatch(s.template.parameters, s.parameters, s.sample.instance.parameters);
  const groups = s.template.deviceGroups.map((g) => `${text(g.label)} × ${s.devices.rows.filter((r) => r.group === g.key).length}`);
  return (
    <div className="wizard-summary">
      <h3>{t('wizard.summary')}</h3>
      <dl className="kv">
        <dt>{t('wizard.enterprise')}</dt><dd>{s.enterprise || '—'}</dd>
        <dt>{t('site.label')}</dt><dd className="mono">{s.site.runtimeSite || '—'}</dd>
        <dt>{t('wizard.summaryScenarios')}</dt>
        <dd>{s.scenarios.map((k) => text(s.template.scenarios.find((x) => x.key === k)?.title)).join('、') || ui.t('none')}</dd>
        <dt>{t('wizard.summaryParameters')}</dt>
        <dd>{Object.keys(changed).length === 0 ? t('wizard.noChanges') : Object.entries(changed).map(([k, v]) => `${k} = ${v === null ? '—' : JSON.stringify(v)}`).join('；')}</dd>
        <dt>{t('wizard.summaryDevices')}</dt>
        <dd>{groups.join('，')} · {s.devices.csv ? t('wizard.summarySource.csv', { file: s.devices.csv.fileName ?? t('devices.pasted') }) : t('wizard.summarySource.table')}</dd>
      </dl>
    </div>
  );
}
