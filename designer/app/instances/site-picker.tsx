import { useId } from 'react';
import type { ApiErrorDetail } from '../api';
import { useLang } from '../i18n/language';
import { FieldProblems } from '../library/ui/api-error-box';
import { detailsUnder } from '../library/ui/api-problems';
import { useUi } from '../library/ui/use-ui';
import { useSites } from './use-sites';
import type { SiteChoice } from './wizard-state';
import { useInstancesMessages } from './use-instances-messages';

/**
 * Where a copy will run: one of the registered sites (its runtime's site id goes into the
 * instance), or a site id typed in for a site that is not registered yet.
 */
export function SitePicker({ value, onChange, problems }: { value: SiteChoice; onChange: (v: SiteChoice) => void; problems: readonly ApiErrorDetail[] }) {
  const { t } = useInstancesMessages();
  const ui = useUi();
  const { text } = useLang();
  const sites = useSites();
  const id = useId();
  const list = sites.data?.sites ?? [];
  const messages = detailsUnder(problems, ['site']).map((d) => text(d.message));
  return (
    <fieldset className="site-picker">
      <legend>{t('site.label')}</legend>
      <label className="radio-line">
        <input type="radio" name={`${id}-kind`} checked={value.kind === 'registered'} disabled={list.length === 0} onChange={() => {
          const first = list.find((s) => s.runtimeSite);
          onChange(first ? { kind: 'registered', siteId: first.id, runtimeSite: first.runtimeSite! } : { kind: 'registered', siteId: '', runtimeSite: '' });
        }} />
        {t('site.registered')}
      </label>
      {value.kind === 'registered' ? (
        <div className="indent">
          <select name="site" value={value.siteId} aria-label={t('site.registered')} onChange={(e) => {
            const s = list.find((x) => x.id === e.target.value);
            onChange({ kind: 'registered', siteId: e.target.value, runtimeSite: s?.runtimeSite ?? '' });
          }}>
            <option value="">{t('site.choose')}</option>
            {list.map((s) => <option key={s.id} value={s.id} disabled={!s.runtimeSite}>{s.name}{s.enterprise ? ` · ${s.enterprise}` : ''} ({s.runtimeSite ?? '?'})</option>)}
          </select>
          <span className="muted"> {value.runtimeSite ? t('site.runtimeSite', { id: value.runtimeSite }) : ''}</span>
        </div>
      ) : null}
      {sites.data && list.length === 0 ? <p className="muted">{t('site.none')}</p> : null}
      {sites.loading && !sites.data ? <p className="muted">{ui.t('loading')}</p> : null}
      <label className="radio-line">
        <input type="radio" name={`${id}-kind`} checked={value.kind === 'typed'} onChange={() => onChange({ kind: 'typed', runtimeSite: value.runtimeSite })} />
        {t('site.typed')}
      </label>
      {value.kind === 'typed' ? (
        <div className="indent">
          <input name="siteId" aria-label={t('site.typed')} aria-invalid={messages.length > 0} value={value.runtimeSite} onChange={(e) => onChange({ kind: 'typed', runtimeSite: e.target.value })} placeholder="yongjia-valve-1" />
          <span className="muted"> {t('site.typedHelp')}</span>
        </div>
      ) : null}
      <FieldProblems messages={messages} />
    </fieldset>
  );
}
