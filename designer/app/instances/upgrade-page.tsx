import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { ConflictChoice, Override, UpgradeConflict, UpgradePlan } from '../../../runtime/model';
import { compareVersions, parseTemplateRef } from '../../../runtime/model';
import type { ApiError } from '../api';
import { api } from '../api';
import { useLang } from '../i18n/language';
import type { InstanceAnswer, InstanceView, TemplateVersions } from '../library/library-types';
import { ApiErrorBox, FieldProblems } from '../library/ui/api-error-box';
import { asApiError, detailsUnder } from '../library/ui/api-problems';
import { useApi } from '../library/ui/use-api';
import { useUi } from '../library/ui/use-ui';
import { changesByScenario, initialChoices, onlyTemplate, openConflicts } from './upgrade-choices';
import { useInstancesMessages } from './use-instances-messages';
import '../library/ui/ui.css';
import './instances.css';

interface PlanAnswer {
  readonly plan: UpgradePlan;
  readonly revision: number;
}

/** The upgrade view: the three-way merge of a newer template version into an instance, conflicts to choose on. */
export default function UpgradePage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const { t } = useInstancesMessages();
  const ui = useUi();
  const base = useApi(async (signal) => {
    const { instance } = await api.get<InstanceAnswer>(`/api/instances/${encodeURIComponent(id)}`, { signal });
    const ref = parseTemplateRef(instance.template)!;
    const versions = await api.get<TemplateVersions>(`/api/templates/${encodeURIComponent(ref.id)}`, { signal });
    return { instance, current: ref.version, newer: versions.versions.filter((v) => v.status === 'published' && compareVersions(v.version, ref.version) > 0).map((v) => v.version) };
  }, [id]);
  const to = params.get('to') ?? base.data?.newer[0];
  const plan = useApi(
    (signal) => (to ? api.get<PlanAnswer>(`/api/instances/${encodeURIComponent(id)}/upgrade`, { signal, query: { to } }) : Promise.resolve(undefined)),
    [id, to],
  );
  if (base.error) return <section className="page"><ApiErrorBox error={base.error} onRetry={base.reload} /></section>;
  if (!base.data) return <section className="page"><p className="muted">{ui.t('loading')}</p></section>;
  const { instance, current, newer } = base.data;
  return (
    <section className="page upgrade-page">
      <nav className="breadcrumbs"><Link to="/instances">{t('instance.back')}</Link> › <Link to={`/instances/${encodeURIComponent(id)}`}>{instance.name}</Link></nav>
      <h1>{t('upgrade.title')}</h1>
      <p className="muted">{t('upgrade.intro')}</p>
      <div className="toolbar-row">
        <span>{t('upgrade.from')} <strong className="mono">{current}</strong></span>
        <span>→</span>
        {newer.length > 0 ? (
          <label>
            {t('upgrade.to')}{' '}
            <select name="to" value={to} onChange={(e) => setParams({ to: e.target.value })}>
              {newer.map((v) => <option key={v} value={v}>{v}</option>)}
            </select>
          </label>
        ) : <span className="muted">{t('upgrade.noNewer', { version: current })}</span>}
      </div>
      {plan.error ? <ApiErrorBox error={plan.error} onRetry={plan.reload} /> : null}
      {plan.data ? <PlanView key={`${plan.data.plan.to}#${plan.data.revision}`} instance={instance} plan={plan.data.plan} revision={plan.data.revision} onStale={() => { base.reload(); plan.reload(); }} /> : null}
    </section>
  );
}

function PlanView({ instance, plan, revision, onStale }: { instance: InstanceView; plan: UpgradePlan; revision: number; onStale: () => void }) {
  const { t } = useInstancesMessages();
  const { text } = useLang();
  const [choices, setChoices] = useState<Record<string, ConflictChoice>>(() => initialChoices(plan));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState<InstanceView | undefined>();
  const open = openConflicts(plan, choices);
  const to = parseTemplateRef(plan.to)!.version;

  async function apply() {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.post<InstanceAnswer>(`/api/instances/${encodeURIComponent(instance.id)}/upgrade`, { to, choices, revision });
      setDone(answer.instance);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <div className="section">
        <p className="ok-text" role="status">✓ {t('upgrade.done', { template: done.template, revision: done.revision })}</p>
        <p><Link to={`/instances/${encodeURIComponent(done.id)}`}>{t('wizard.openInstance')}</Link>{done.site ? <> · <Link to={`/fleet/sites/${encodeURIComponent(done.site.id)}`}>{t('bind.openSite')}</Link></> : null}</p>
      </div>
    );
  }
  return (
    <>
      <div className="section upgrade-conflicts">
        <h2>{t('upgrade.conflicts', { count: plan.conflicts.length })}</h2>
        {plan.conflicts.length === 0 ? <p className="muted">{t('upgrade.noConflicts')}</p> : null}
        {plan.conflicts.map((c) => (
          <ConflictCard key={c.id} conflict={c} choice={choices[c.id]} problems={detailsUnder(error, ['choices', c.id]).map((d) => text(d.message))} onChoose={(v) => setChoices((x) => ({ ...x, [c.id]: v }))} />
        ))}
      </div>
      <div className="section">
        <h2>{t('upgrade.kept', { count: plan.kept.length })}</h2>
        <OverrideList overrides={plan.kept} />
        {plan.absorbed.length > 0 ? (
          <>
            <h3>{t('upgrade.absorbed', { count: plan.absorbed.length })}</h3>
            <OverrideList overrides={plan.absorbed} />
          </>
        ) : null}
      </div>
      <details className="section">
        <summary><h2 style={{ display: 'inline' }}>{t('upgrade.templateChanges', { count: plan.templateChanges.length })}</h2></summary>
        {changesByScenario(plan.templateChanges).map(([scenario, changes]) => (
          <div key={scenario}>
            <h3>{scenario ? t('upgrade.scenario', { key: scenario }) : '—'}</h3>
            <ul className="change-list">
              {changes.map((c, i) => <li key={i}><span className={`change-op ${c.op}`}>{t(`upgrade.ops.${c.op}`)}</span> {text(c.text)}</li>)}
            </ul>
          </div>
        ))}
      </details>
      {plan.newParameters.length + plan.droppedParameters.length > 0 ? (
        <div className="section">
          {plan.newParameters.length > 0 ? <p>{t('upgrade.newParameters')}: <span className="mono">{plan.newParameters.join(', ')}</span></p> : null}
          {plan.droppedParameters.length > 0 ? <p>{t('upgrade.droppedParameters')}: <span className="mono">{plan.droppedParameters.join(', ')}</span></p> : null}
        </div>
      ) : null}
      <div className="save-bar">
        <button type="button" className="primary" data-action="apply-upgrade" disabled={busy} onClick={() => void apply()}>{busy ? t('upgrade.applying') : t('upgrade.apply')}</button>
        {open.length > 0 ? <span className="warn-text">{t('upgrade.open', { count: open.length })}</span> : null}
        {error?.code === 'stale-revision' ? <button type="button" onClick={onStale}>{t('instance.reload')}</button> : null}
      </div>
      {error ? <ApiErrorBox error={error} /> : null}
    </>
  );
}

function ConflictCard({ conflict: c, choice, problems, onChoose }: { conflict: UpgradeConflict; choice: ConflictChoice | undefined; problems: readonly string[]; onChoose: (c: ConflictChoice) => void }) {
  const { t } = useInstancesMessages();
  const { text } = useLang();
  const forced = onlyTemplate(c);
  const side = (value: ConflictChoice, label: string, body: string) => (
    <label className={`conflict-side${choice === value ? ' selected' : ''}${forced && value === 'site' ? ' disabled' : ''}`}>
      <input type="radio" name={`choice-${c.id}`} value={value} checked={choice === value} disabled={forced && value === 'site'} onChange={() => onChoose(value)} />
      <span><strong>{label}</strong><br />{body}</span>
    </label>
  );
  return (
    <div className={`upgrade-conflict${problems.length ? ' invalid' : choice ? ' chosen' : ''}`} data-conflict={c.id}>
      <div><strong>{t('upgrade.conflict', { id: c.id })}</strong> <span className="badge">{t(`upgrade.kinds.${c.kind}`)}</span> <code className="mono">{c.path}</code></div>
      <div className="conflict-sides">
        {side('template', t('upgrade.chooseTemplate'), text(c.template))}
        {side('site', t('upgrade.chooseSite'), text(c.site))}
      </div>
      {forced ? <p className="muted">{t('upgrade.onlyTemplate')}</p> : null}
      <FieldProblems messages={problems} />
    </div>
  );
}

function OverrideList({ overrides }: { overrides: readonly Override[] }) {
  const { t } = useInstancesMessages();
  const ui = useUi();
  if (overrides.length === 0) return <p className="muted">{ui.t('none')}</p>;
  return (
    <ul className="change-list">
      {overrides.map((o, i) => (
        <li key={i}>
          <span className={`change-op ${o.op}`}>{t(`upgrade.ops.${o.op}`)}</span> <code>{o.path}</code>
          {o.note ? <div className="muted">{t('upgrade.note')}: {o.note}</div> : null}
        </li>
      ))}
    </ul>
  );
}
