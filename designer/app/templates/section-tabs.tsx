import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { useLang } from '../i18n/language';
import { countByTab } from './problem-paths';
import { flowIdOfPlace } from './template-store';
import type { Section } from './template-store';
import { useProblemList, useTemplate, useTemplateApi } from './use-template';

function Badge({ count }: { count: number | undefined }) {
  return count ? <span className="tab-problems" aria-hidden>{count}</span> : null;
}

/** The authoring page's tabs: basics, parameters, device groups, one per scenario (marked N or X), tests. */
export function SectionTabs({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation('templates');
  const { text } = useLang();
  const store = useTemplateApi();
  const section = useTemplate((s) => s.section);
  const scenarios = useTemplate((s) => s.draft.scenarios);
  const counts = useTemplate((s) => s.draft);
  const activeFlow = useStore(store.editor, (s) => s.activeId);
  const list = useProblemList();
  const sent = useTemplate((s) => s.problems?.sent);
  const byTab = countByTab(list);
  const byFlow: Record<string, number> = {};
  for (const l of list) {
    const id = flowIdOfPlace(l.place, sent);
    if (id) byFlow[id] = (byFlow[id] ?? 0) + 1;
  }
  const tab = (key: Section, label: string, extra?: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={section === key}
      className={`sec-tab${section === key ? ' active' : ''}`}
      data-tab={key}
      onClick={() => store.getState().open(key)}
    >
      {label}{extra ? <span className="muted"> {extra}</span> : null}<Badge count={byTab[key]} />
    </button>
  );
  return (
    <nav className="section-tabs" role="tablist" aria-label={t('meta.title')}>
      {tab('meta', t('sections.meta'))}
      {tab('parameters', t('sections.parameters'), String(counts.parameters.length))}
      {tab('deviceGroups', t('sections.deviceGroups'), String(counts.deviceGroups.length))}
      <span className="tab-sep" aria-hidden />
      {scenarios.map((s) => {
        const active = section === 'scenario' && activeFlow === s.flowId;
        return (
          <button
            key={s.flowId}
            type="button"
            role="tab"
            aria-selected={active}
            className={`sec-tab scenario-tab${active ? ' active' : ''}`}
            data-scenario={s.key}
            title={`${s.key} · ${s.kind === 'N' ? t('scenario.kindN') : t('scenario.kindX')}`}
            onClick={() => store.getState().open('scenario', s.flowId)}
          >
            <span className={`kind kind-${s.kind}`}>{s.kind}</span>
            {text(s.title) || s.key}
            <Badge count={byFlow[s.flowId]} />
          </button>
        );
      })}
      {readOnly ? null : (
        <button type="button" className="sec-tab add-scenario" title={t('sections.addScenarioTitle')} onClick={() => store.getState().addScenario('X')}>
          + {t('sections.addScenario')}
        </button>
      )}
      <span className="tab-sep" aria-hidden />
      {tab('tests', t('sections.tests'), String(counts.tests.length))}
    </nav>
  );
}
