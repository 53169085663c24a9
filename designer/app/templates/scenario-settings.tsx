import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n/language';
import { DemandsPicker } from './demands-picker';
import { FieldProblems } from './field-problems';
import { problemsAt } from './problem-paths';
import type { ScenarioDraft } from './template-doc';
import { TextPairInput } from './text-pair-input';
import { useProblemList, useTemplate, useTemplateApi } from './use-template';

/** One scenario's own fields (key, N or X, title, description, demands), its place among the tabs, and deleting it. */
export function ScenarioSettings({ scenario, index, readOnly }: { scenario: ScenarioDraft; index: number; readOnly: boolean }) {
  const { t } = useTranslation('templates');
  const { text } = useLang();
  const store = useTemplateApi();
  const count = useTemplate((s) => s.draft.scenarios.length);
  const sent = useTemplate((s) => s.problems?.sent);
  // Problems name the scenario by its index in the document that was sent.
  const sentIndex = sent ? sent.scenarios.findIndex((s) => (s as { flow?: { id?: string } }).flow?.id === scenario.flowId) : index;
  const list = useProblemList().filter((l) => l.place.part === 'settings' || l.place.part === undefined);
  const at = (field?: string) => problemsAt(list, 'scenario', sentIndex, field);
  const set = (patch: Partial<ScenarioDraft>) => store.getState().setScenario(scenario.flowId, patch);
  return (
    <section className="tpl-section scenario-settings" aria-label={t('scenario.views.settings')}>
      <fieldset className="form-grid" disabled={readOnly}>
        <div className="field" data-field="key">
          <label htmlFor="sc-key">{t('scenario.key')}</label>
          <input id="sc-key" value={scenario.key} aria-invalid={at('key').length > 0} onChange={(e) => set({ key: e.target.value })} />
          <FieldProblems problems={at('key')} />
        </div>
        <div className="field" data-field="kind">
          <span className="label">{t('scenario.kind')}</span>
          <label className="check"><input type="radio" name="sc-kind" checked={scenario.kind === 'N'} onChange={() => set({ kind: 'N' })} /> {t('scenario.kindN')}</label>
          <label className="check"><input type="radio" name="sc-kind" checked={scenario.kind === 'X'} onChange={() => set({ kind: 'X' })} /> {t('scenario.kindX')}</label>
          <FieldProblems problems={at('kind')} />
        </div>
        <div className="wide">
          <TextPairInput id="sc-title" label={t('scenario.name')} value={scenario.title} onChange={(v) => set({ title: v })} problems={at('title')} disabled={readOnly} />
        </div>
        <div className="wide">
          <TextPairInput id="sc-description" label={t('scenario.description')} value={scenario.description} onChange={(v) => set({ description: v })} problems={at('description')} disabled={readOnly} multiline />
        </div>
        <div className="wide">
          <DemandsPicker label={t('scenario.demands')} value={scenario.demands} onChange={(v) => set({ demands: v })} disabled={readOnly} />
        </div>
        <div className="field">
          <label htmlFor="sc-flow">{t('scenario.flowId')}</label>
          <input id="sc-flow" value={scenario.flowId} readOnly />
        </div>
        <div className="wide">
          <FieldProblems problems={at().filter((p) => !/\.(key|kind|title|description)/.test(p.at))} />
        </div>
        {readOnly ? null : (
          <div className="wide actions">
            <button type="button" disabled={index === 0} onClick={() => store.getState().moveScenario(scenario.flowId, -1)}>◀ {t('scenario.moveLeft')}</button>
            <button type="button" disabled={index === count - 1} onClick={() => store.getState().moveScenario(scenario.flowId, 1)}>{t('scenario.moveRight')} ▶</button>
            <span className="spacer" />
            <button type="button" className="danger" disabled={count <= 1} onClick={() => {
              if (window.confirm(t('scenario.confirmDelete', { title: text(scenario.title) || scenario.key }))) store.getState().removeScenario(scenario.flowId);
            }}>{t('scenario.delete')}</button>
          </div>
        )}
      </fieldset>
    </section>
  );
}
