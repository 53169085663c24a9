import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n/language';
import type { LocatedProblem } from './problem-paths';
import { flowIdOfPlace } from './template-store';
import { useTemplate, useTemplateApi } from './use-template';

/** Where a problem is, in words: "参数 3", "场景“班产量” · 节点 metres". */
function useWhere() {
  const { t } = useTranslation('templates');
  const { text } = useLang();
  const scenarios = useTemplate((s) => s.draft.scenarios);
  const sent = useTemplate((s) => s.problems?.sent);
  return ({ place }: LocatedProblem): string => {
    if (place.section === 'scenario') {
      const flowId = flowIdOfPlace(place, sent);
      const s = scenarios.find((x) => x.flowId === flowId);
      const name = s ? text(s.title) || s.key : sent?.scenarios[place.index ?? -1]?.key ?? '?';
      const part = place.nodeId ? t('problems.node', { node: place.nodeId }) : place.part === 'dashboard' ? t('problems.dashboard') : place.part === 'settings' ? t('problems.settings') : '';
      return [t('problems.where.scenario', { name }), part].filter(Boolean).join(' · ');
    }
    return t(`problems.where.${place.section}`, { n: (place.index ?? 0) + 1 });
  };
}

/** The API's answer to the last save, publish, preview or test run, each problem a link to its place. */
export function ProblemsPanel() {
  const { t } = useTranslation('templates');
  const { text } = useLang();
  const store = useTemplateApi();
  const problems = useTemplate((s) => s.problems);
  const where = useWhere();
  if (!problems) return null;
  return (
    <div className="problems-panel" role="alert" data-code={problems.code}>
      <div className="problems-head">
        <strong>{text(problems.text)}</strong>
        {problems.list.length > 0 ? <span className="muted small">{t('problems.title', { count: problems.list.length })}</span> : null}
        <span className="spacer" />
        <button type="button" className="link" onClick={() => store.getState().clearProblems()}>{t('problems.close')}</button>
      </div>
      {problems.list.length > 0 ? (
        <ul className="problem-list">
          {problems.list.map((l, i) => (
            <li key={`${l.detail.at}-${i}`} data-at={l.detail.at}>
              <button type="button" className="link" onClick={() => store.getState().goTo(l.place)} title={t('problems.goTo')}>
                <span className="where">{where(l)}</span>
              </button>
              <span className="message">{text(l.detail.message)}</span>
              <code className="muted small">{l.detail.at}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
