import { Link } from 'react-router';
import type { Template } from '../../../runtime/model';
import type { Role } from '../api';
import { api } from '../api';
import { useLang } from '../i18n/language';
import type { InstanceAnswer, InstancesPage } from './library-types';
import { ApiErrorBox } from './ui/api-error-box';
import { useApi } from './ui/use-api';
import { useUi } from './ui/use-ui';
import { useLibraryMessages } from './use-library-messages';

/** Who may copy a sample firm (the studio's POST /api/instances/:id/copy). */
export const COPIERS: readonly Role[] = ['contractor', 'enterprise'];

/**
 * A template's sample firms (GET /api/instances?sample=1&template=), each read in full for the
 * firm's name, its chosen X scenarios and devices (the list gives neither).
 */
export function SampleFirms({ templateId, template, role }: { templateId: string; template: Template; role: Role }) {
  const { t } = useLibraryMessages();
  const ui = useUi();
  const { text } = useLang();
  const samples = useApi(async (signal) => {
    const page = await api.get<InstancesPage>('/api/instances', { signal, query: { sample: 1, template: templateId, pageSize: 50 } });
    return Promise.all(page.instances.map((i) => api.get<InstanceAnswer>(`/api/instances/${encodeURIComponent(i.id)}`, { signal }).then((a) => a.instance)));
  }, [templateId]);
  if (samples.error) return <ApiErrorBox error={samples.error} onRetry={samples.reload} />;
  if (!samples.data) return <p className="muted">{ui.t('loading')}</p>;
  if (samples.data.length === 0) return <p className="muted">{t('template.noSamples')}</p>;
  const title = (key: string) => {
    const s = template.scenarios.find((x) => x.key === key);
    return s ? text(s.title) : key;
  };
  return (
    <div className="sample-list">
      {samples.data.map((s) => (
        <article key={s.id} className="sample-card" data-instance={s.id}>
          <h3>{s.instance.enterprise}</h3>
          <p className="muted">{s.name} · {t('template.sampleOf', { template: s.template })}</p>
          <p>{t('template.sampleScenarios', { list: s.instance.scenarios.map(title).join('、') || ui.t('none') })}</p>
          <p>{t('template.sampleDevices', { list: Object.entries(s.instance.devices).map(([g, list]) => `${g} × ${list.length}`).join('，') })}</p>
          <div className="sample-actions">
            {COPIERS.includes(role) ? (
              <Link className="button primary" to={`/instances/copy/${encodeURIComponent(s.id)}`}>{role === 'contractor' ? t('template.copyFor') : t('template.copy')}</Link>
            ) : null}
            <Link className="button" to={`/instances/${encodeURIComponent(s.id)}`}>{t('template.view')}</Link>
          </div>
        </article>
      ))}
    </div>
  );
}
