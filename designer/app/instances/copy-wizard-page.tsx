import { useReducer, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Template } from '../../../runtime/model';
import { parseTemplateRef } from '../../../runtime/model';
import { api } from '../api';
import { useLang } from '../i18n/language';
import type { InstanceAnswer, InstanceView, TemplateVersion } from '../library/library-types';
import { ApiErrorBox, FieldProblems } from '../library/ui/api-error-box';
import { asApiError, detailsUnder } from '../library/ui/api-problems';
import { useApi } from '../library/ui/use-api';
import { useUi } from '../library/ui/use-ui';
import { useUser } from '../shell/session';
import { DevicesEditor } from './devices-editor';
import { ParametersForm } from './parameters-form';
import { ScenarioPicker } from './scenario-picker';
import { SiteBinding } from './site-binding';
import { SitePicker } from './site-picker';
import { useInstancesMessages } from './use-instances-messages';
import { WizardSteps } from './wizard-steps';
import { WizardSummary } from './wizard-summary';
import type { Step, WizardState } from './wizard-state';
import { STEPS, apiProblemCounts, copyBody, initialWizard, localProblems, stepOf, wizardReducer } from './wizard-state';
import '../library/ui/ui.css';
import './instances.css';

/** "Copy to my enterprise": loads the sample firm and its template version, then runs the wizard. */
export default function CopyWizardPage() {
  const { sampleId = '' } = useParams();
  const ui = useUi();
  const loaded = useApi(async (signal) => {
    const { instance } = await api.get<InstanceAnswer>(`/api/instances/${encodeURIComponent(sampleId)}`, { signal });
    const ref = parseTemplateRef(instance.template)!;
    const version = await api.get<TemplateVersion>(`/api/templates/${encodeURIComponent(ref.id)}/versions/${encodeURIComponent(ref.version)}`, { signal });
    return { sample: instance, template: version.template };
  }, [sampleId]);
  if (loaded.error) return <section className="page"><ApiErrorBox error={loaded.error} onRetry={loaded.reload} /></section>;
  if (!loaded.data) return <section className="page"><p className="muted">{ui.t('loading')}</p></section>;
  return <Wizard sample={loaded.data.sample} template={loaded.data.template} />;
}

function Wizard({ sample, template }: { sample: InstanceView; template: Template }) {
  const { t } = useInstancesMessages();
  const { text } = useLang();
  const user = useUser();
  const role = user.role === 'contractor' ? 'contractor' : 'enterprise';
  const [s, dispatch] = useReducer(wizardReducer, undefined, () => initialWizard(sample, template, user.role === 'enterprise' ? user.enterprise ?? '' : ''));
  const [busy, setBusy] = useState(false);
  const index = STEPS.indexOf(s.step);
  const local = localProblems(s);
  const remote = apiProblemCounts(s);

  async function check() {
    setBusy(true);
    try {
      const answer = await api.post<InstanceAnswer>(`/api/instances/${encodeURIComponent(sample.id)}/copy`, copyBody(s, role));
      dispatch({ type: 'created', instance: answer.instance });
    } catch (err) {
      const e = asApiError(err);
      dispatch({ type: 'checked', problems: e.details, error: e.text });
    } finally {
      setBusy(false);
    }
  }

  // The studio's answer to the last check, on the step its problems belong to (the rest on "check").
  const here = s.problems.filter((d) => stepOf(d) === s.step);
  const stepError = s.checkError && (here.length > 0 || (s.step === 'check' && s.problems.length === 0)) ? (
    <div className="api-error" role="alert">
      <p className="api-error-text">{text(s.checkError)}</p>
      {s.step === 'check' ? <FieldProblems messages={here.map((d) => `${d.at}: ${text(d.message)}`)} /> : null}
    </div>
  ) : null;

  return (
    <section className="page wizard-page" data-step={s.step}>
      <nav className="breadcrumbs"><Link to="/library">{t('list.libraryTitle')}</Link> › {sample.instance.enterprise}</nav>
      <h1>{role === 'contractor' ? t('wizard.titleFor') : t('wizard.title')}</h1>
      <p className="muted">{t('wizard.from', { sample: sample.instance.enterprise, template: sample.template })}</p>
      <WizardSteps current={s.step} local={local} remote={remote} locked={Boolean(s.created)} onGo={(step: Step) => dispatch({ type: 'go', step })} />
      <div className="wizard-body section">
        <h2>{t(`steps.${s.step}`)}</h2>
        {stepError}
        <StepBody s={s} dispatch={dispatch} role={role} />
        {s.step === 'check' ? (
          <div className="wizard-check">
            <p className="muted">{t('wizard.checkIntro')}</p>
            {STEPS.reduce((n, k) => n + local[k], 0) > 0 ? <p className="warn-text">{t('wizard.localProblems', { count: STEPS.reduce((n, k) => n + local[k], 0) })}</p> : null}
            <button type="button" className="primary" data-action="check" disabled={busy} onClick={() => void check()}>{busy ? t('wizard.checking') : t('wizard.check')}</button>
          </div>
        ) : null}
      </div>
      {!s.created ? (
        <div className="wizard-nav">
          <button type="button" disabled={index === 0} onClick={() => dispatch({ type: 'go', step: STEPS[index - 1]! })}>{t('wizard.back')}</button>
          {s.step !== 'check' ? <button type="button" className="primary" data-action="next" onClick={() => dispatch({ type: 'go', step: STEPS[index + 1]! })}>{t('wizard.next')}</button> : null}
        </div>
      ) : null}
    </section>
  );
}

function StepBody({ s, dispatch, role }: { s: WizardState; dispatch: (a: Parameters<typeof wizardReducer>[1]) => void; role: 'contractor' | 'enterprise' }) {
  const { t } = useInstancesMessages();
  const { text } = useLang();
  const user = useUser();
  switch (s.step) {
    case 'basics':
      return (
        <div className="form-grid">
          <p className="muted">{t('wizard.basicsIntro')}</p>
          <label>
            {t('wizard.name')}
            <input name="name" value={s.name} placeholder={t('wizard.namePlaceholder')} onChange={(e) => dispatch({ type: 'name', value: e.target.value })} />
            <FieldProblems messages={detailsUnder(s.problems, ['name']).map((d) => text(d.message))} />
          </label>
          {role === 'contractor' ? (
            <label>
              {t('wizard.enterprise')}
              <input name="enterprise" value={s.enterprise} aria-invalid={s.enterprise.trim() === '' || detailsUnder(s.problems, ['enterprise']).length > 0} onChange={(e) => dispatch({ type: 'enterprise', value: e.target.value })} />
              <span className="muted">{t('wizard.enterpriseHelp')}</span>
              <FieldProblems messages={detailsUnder(s.problems, ['enterprise']).map((d) => text(d.message))} />
            </label>
          ) : <p>{t('wizard.enterpriseFixed', { enterprise: s.enterprise })}</p>}
          <SitePicker value={s.site} onChange={(v) => dispatch({ type: 'site', value: v })} problems={s.problems} />
        </div>
      );
    case 'scenarios':
      return (
        <>
          <p className="muted">{t('scenarios.intro')}</p>
          <ScenarioPicker template={s.template} chosen={s.scenarios} problems={s.problems} onChange={(key, on) => dispatch({ type: 'scenario', key, on })} />
        </>
      );
    case 'parameters':
      return (
        <>
          <p className="muted">{t('parameters.intro')}</p>
          <ParametersForm parameters={s.template.parameters} inputs={s.parameters} problems={s.problems} onChange={(key, value) => dispatch({ type: 'parameter', key, value })} />
        </>
      );
    case 'devices':
      return (
        <>
          <p className="muted">{t('devices.intro')}</p>
          <DevicesEditor table={s.devices} groups={s.template.deviceGroups} problems={s.problems} onChange={(table) => dispatch({ type: 'devices', table })} />
        </>
      );
    case 'check':
      return <WizardSummary s={s} />;
    case 'deploy':
      return s.created ? (
        <>
          <p className="ok-text" role="status">✓ {t('wizard.created', { name: s.created.name })} · <Link to={`/instances/${encodeURIComponent(s.created.id)}`}>{t('wizard.openInstance')}</Link></p>
          <SiteBinding instance={s.created} role={user.role} preferredSite={s.site.kind === 'registered' ? s.site.siteId : undefined} />
        </>
      ) : <p className="muted">{t('wizard.checkFirst')}</p>;
  }
}
