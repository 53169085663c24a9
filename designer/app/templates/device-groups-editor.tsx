import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { useLang } from '../i18n/language';
import { FieldProblems } from './field-problems';
import { problemsAt } from './problem-paths';
import { countReferences } from './references';
import type { DeviceGroupDraft } from './template-doc';
import { useProblemList, useTemplate, useTemplateApi } from './use-template';

const int = (s: string): number | undefined => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Math.round(Number(s)));

function GroupRow({ g, index, count, refs, readOnly }: { g: DeviceGroupDraft; index: number; count: number; refs: number; readOnly: boolean }) {
  const { t } = useTranslation('templates');
  const { text } = useLang();
  const store = useTemplateApi();
  const profiles = useStore(store.editor, (s) => s.context.profiles);
  const [showTags, setShowTags] = useState(false);
  const list = useProblemList();
  const problems = problemsAt(list, 'deviceGroups', index);
  const at = (field: string) => problemsAt(list, 'deviceGroups', index, field).length > 0;
  const set = (patch: Partial<DeviceGroupDraft>) => store.getState().setGroup(index, patch);
  const profile = profiles[g.profile];
  return (
    <>
      <tr className={problems.length > 0 ? 'invalid' : undefined} data-row={index} data-key={g.key}>
        <td><input aria-label={t('groups.key')} value={g.key} aria-invalid={at('key')} onChange={(e) => set({ key: e.target.value })} /></td>
        <td><input aria-label={t('groups.labelZh')} value={g.label?.zh ?? ''} aria-invalid={at('label')} onChange={(e) => set({ label: { ...g.label, zh: e.target.value } })} /></td>
        <td><input aria-label={t('groups.labelEn')} value={g.label?.en ?? ''} aria-invalid={at('label')} onChange={(e) => set({ label: { ...g.label, en: e.target.value } })} /></td>
        <td>
          <select aria-label={t('groups.profile')} value={g.profile} aria-invalid={at('profile')} onChange={(e) => set({ profile: e.target.value })}>
            <option value="">{t('groups.chooseProfile')}</option>
            {g.profile && !profile ? <option value={g.profile}>{g.profile}</option> : null}
            {Object.values(profiles).map((p) => <option key={p.id} value={p.id}>{p.id} · {text(p.title)}</option>)}
          </select>
        </td>
        <td><input className="num" aria-label={t('groups.min')} value={g.min ?? ''} aria-invalid={at('min')} onChange={(e) => set({ min: int(e.target.value) })} /></td>
        <td><input className="num" aria-label={t('groups.max')} value={g.max ?? ''} aria-invalid={at('max')} onChange={(e) => set({ max: int(e.target.value) })} /></td>
        <td className="nowrap">
          {profile ? (
            <button type="button" className="link small" aria-expanded={showTags} onClick={() => setShowTags(!showTags)}>
              {t('groups.tags', { count: profile.tags.length })} {showTags ? '▴' : '▾'}
            </button>
          ) : null}
        </td>
        <td className="muted small nowrap">{refs > 0 ? t('parameters.refs', { count: refs }) : ''}</td>
        <td className="nowrap row-actions">
          {readOnly ? null : (
            <>
              <button type="button" className="icon" title={t('common.up')} aria-label={t('common.up')} disabled={index === 0} onClick={() => store.getState().moveGroup(index, index - 1)}>↑</button>
              <button type="button" className="icon" title={t('common.down')} aria-label={t('common.down')} disabled={index === count - 1} onClick={() => store.getState().moveGroup(index, index + 1)}>↓</button>
              <button type="button" className="icon danger" title={t('common.remove')} aria-label={t('common.remove')} onClick={() => store.getState().removeGroup(index)}>×</button>
            </>
          )}
        </td>
      </tr>
      {showTags && profile ? (
        <tr className="row-detail">
          <td colSpan={9}>
            <ul className="tag-chips">
              {profile.tags.map((tag) => (
                <li key={tag.key} title={text(tag.label)}>
                  <code>{tag.key}</code> {text(tag.label)} <span className="muted">{tag.type}{tag.unit ? ` · ${tag.unit}` : ''}{tag.access === 'rw' ? ' · rw' : ''}</span>
                </li>
              ))}
            </ul>
          </td>
        </tr>
      ) : null}
      {problems.length > 0 ? <tr className="row-problems"><td colSpan={9}><FieldProblems problems={problems} /></td></tr> : null}
    </>
  );
}

/** The template's device groups: key, labels, device profile (from the studio's profiles), min and max counts. */
export function DeviceGroupsEditor({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation('templates');
  const store = useTemplateApi();
  const groups = useTemplate((s) => s.draft.deviceGroups);
  const flows = useStore(store.editor, (s) => s.flows);
  const refs = useMemo(() => countReferences(flows).groups, [flows]);
  const general = problemsAt(useProblemList().filter((l) => l.place.index === undefined), 'deviceGroups', undefined);
  return (
    <section className="tpl-section groups-editor" aria-label={t('groups.title')}>
      <header className="section-head">
        <div>
          <h2>{t('groups.title')}</h2>
          <p className="muted small">{t('groups.intro')}</p>
        </div>
        {readOnly ? null : <button type="button" className="primary" onClick={() => store.getState().addGroup()}>+ {t('groups.add')}</button>}
      </header>
      <FieldProblems problems={general} />
      {groups.length === 0 ? <p className="muted">{t('groups.empty')}</p> : (
        <fieldset disabled={readOnly} className="table-wrap">
          <table className="grid-table">
            <thead>
              <tr>
                <th>{t('groups.key')}</th><th>{t('groups.labelZh')}</th><th>{t('groups.labelEn')}</th><th>{t('groups.profile')}</th>
                <th>{t('groups.min')}</th><th>{t('groups.max')}</th><th>{t('groups.showTags')}</th><th /><th />
              </tr>
            </thead>
            <tbody>
              {groups.map((g, i) => <GroupRow key={i} g={g} index={i} count={groups.length} refs={refs[g.key] ?? 0} readOnly={readOnly} />)}
            </tbody>
          </table>
        </fieldset>
      )}
    </section>
  );
}
