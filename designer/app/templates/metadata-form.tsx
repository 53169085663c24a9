import { useTranslation } from 'react-i18next';
import { DemandsPicker } from './demands-picker';
import { FieldProblems } from './field-problems';
import { IndustryPicker } from './industry-picker';
import { TextPairInput } from './text-pair-input';
import { useProblems, useTemplate, useTemplateApi } from './use-template';

/** The template's basics: id and version (fixed per version), industry, title, description, demands, author. */
export function MetadataForm({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation('templates');
  const store = useTemplateApi();
  const d = useTemplate((s) => s.draft);
  const set = store.getState().setMeta;
  const idProblems = useProblems('meta', undefined, 'id');
  const versionProblems = useProblems('meta', undefined, 'version');
  const authorProblems = useProblems('meta', undefined, 'author');
  const industryProblems = useProblems('meta', undefined, 'industry');
  const titleProblems = useProblems('meta', undefined, 'title');
  const descriptionProblems = useProblems('meta', undefined, 'description');
  return (
    <section className="tpl-section meta-form" aria-label={t('meta.title')}>
      <fieldset className="form-grid" disabled={readOnly}>
        <div className="field" data-field="id">
          <label htmlFor="tpl-id">{t('meta.id')}</label>
          <input id="tpl-id" value={d.id} readOnly aria-invalid={idProblems.length > 0} />
          <FieldProblems problems={idProblems} />
        </div>
        <div className="field" data-field="version">
          <label htmlFor="tpl-version">{t('meta.version')}</label>
          <input id="tpl-version" value={d.version} readOnly aria-invalid={versionProblems.length > 0} />
          <p className="help">{t('meta.versionHelp')}</p>
          <FieldProblems problems={versionProblems} />
        </div>
        <IndustryPicker id="tpl-industry" label={t('meta.industry')} value={d.industry} onChange={(v) => set('industry', v)} problems={industryProblems} disabled={readOnly} />
        <div className="field" data-field="author">
          <label htmlFor="tpl-author">{t('meta.author')}</label>
          <input id="tpl-author" value={d.author} aria-invalid={authorProblems.length > 0} onChange={(e) => set('author', e.target.value)} />
          <FieldProblems problems={authorProblems} />
        </div>
        <div className="wide">
          <TextPairInput id="tpl-title" label={t('meta.name')} value={d.title} onChange={(v) => set('title', v)} problems={titleProblems} disabled={readOnly} />
        </div>
        <div className="wide">
          <TextPairInput id="tpl-description" label={t('meta.description')} value={d.description} onChange={(v) => set('description', v)} problems={descriptionProblems} disabled={readOnly} multiline />
        </div>
        <div className="wide">
          <DemandsPicker label={t('meta.demands')} value={d.demands} onChange={(v) => set('demands', v)} disabled={readOnly} />
        </div>
      </fieldset>
    </section>
  );
}
