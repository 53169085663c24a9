import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { useLang } from '../i18n/language';
import { ApiErrorBox } from '../library/ui/api-error-box';
import { TimeText } from '../library/ui/time-text';
import { useApi } from '../library/ui/use-api';
import { useUi } from '../library/ui/use-ui';
import { useUser } from '../shell/session';
import { DeploymentsTable } from './deployments-table';
import { EngineersEditor } from './engineers-editor';
import { backlogOf } from './fleet-query';
import type { LiveStatus, SiteAnswer, SiteView } from './fleet-types';
import { InstanceBinder } from './instance-binder';
import { LiveStatusPanel } from './live-status';
import { SiteActions } from './site-actions';
import { DriftBadge, HealthBadge } from './status-badges';
import { useFleetMessages } from './use-fleet-messages';
import '../library/ui/ui.css';
import './fleet.css';

const isText = (v: unknown): v is { zh: string; en: string } => typeof v === 'object' && v !== null && typeof (v as { zh?: unknown }).zh === 'string';

/** One site: what it runs and how it is, its live status, deployments, actions, binding and engineers. */
export default function SitePage() {
  const { id = '' } = useParams();
  const { t } = useFleetMessages();
  const ui = useUi();
  const { text } = useLang();
  const user = useUser();
  const loaded = useApi((signal) => api.get<SiteAnswer>(`/api/sites/${encodeURIComponent(id)}`, { signal }), [id]);
  const [changed, setChanged] = useState<SiteView | undefined>();
  const [round, setRound] = useState(0);
  const [live, setLive] = useState<LiveStatus | undefined>();
  if (loaded.error) return <section className="page"><ApiErrorBox error={loaded.error} onRetry={loaded.reload} /></section>;
  if (!loaded.data) return <section className="page"><p className="muted">{ui.t('loading')}</p></section>;
  const site = changed?.id === id ? changed : loaded.data.site;
  const refresh = () => {
    setChanged(undefined);
    loaded.reload();
    setRound((r) => r + 1);
  };
  const healthError = (site.health.error as { text?: unknown } | null)?.text;
  const backlog = backlogOf(site.heartbeat);
  return (
    <section className="page site-page" data-site={site.id}>
      <nav className="breadcrumbs"><Link to="/fleet">{t('site.back')}</Link> › {site.name}</nav>
      <div className="site-head">
        <h1>{site.name}</h1>
        <HealthBadge health={site.health.state} />
        <DriftBadge drift={site.drift} />
      </div>
      <div className="site-layout">
        <div>
          <div className="section">
            <dl className="kv">
              <dt>{t('site.url')}</dt><dd className="mono">{site.url}</dd>
              <dt>{t('site.runtimeSite')}</dt><dd className="mono">{site.runtimeSite ?? '—'}</dd>
              <dt>{t('site.enterprise')}</dt><dd>{site.enterprise ?? '—'}</dd>
              <dt>{t('site.instance')}</dt>
              <dd>{site.instance ? <><Link to={`/instances/${encodeURIComponent(site.instance.id)}`}>{site.instance.name}</Link> <span className="mono muted">{site.instance.template}</span></> : <span className="muted">{t('site.noInstance')}</span>}</dd>
              <dt>{t('site.deployed')}</dt>
              <dd>{site.deployed ? <><span className="mono">{site.deployed.template ?? '?'}</span> · {t('seq', { sequence: site.deployed.sequence })} · <TimeText iso={site.deployed.at} relative /></> : <span className="muted">{t('site.notDeployed')}</span>}</dd>
              <dt>{t('site.health')}</dt>
              <dd><HealthBadge health={site.health.state} /> <span className="muted">{t('site.checkedAt')} <TimeText iso={site.health.checkedAt} relative /></span>{isText(healthError) ? <div className="error">{text(healthError)}</div> : null}</dd>
              <dt>{t('site.heartbeat')}</dt>
              <dd>{site.heartbeat ? <><TimeText iso={site.heartbeat.at} relative />{backlog !== undefined ? ` · ${t('backlog', { count: backlog })}` : ''}{site.heartbeat.devices ? ` · ${t('devicesOnline', site.heartbeat.devices)}` : ''}</> : <span className="muted">{t('noHeartbeat')}</span>}</dd>
              <dt>{t('site.registered')}</dt><dd>{t(`site.via.${site.registeredVia}`)} · <TimeText iso={site.createdAt} /></dd>
              <dt>{t('site.lastSequence')}</dt><dd>{site.lastSequence}</dd>
              <dt>{t('site.engineers')}</dt><dd>{site.engineers.length ? site.engineers.map((e) => e.username).join('、') : <span className="muted">{t('site.noEngineers')}</span>}</dd>
            </dl>
          </div>
          <div className="section">
            <h2>{t('actions.title')}</h2>
            <SiteActions site={site} role={user.role} lastGood={live?.lastKnownGood?.sequence} onDone={refresh} />
          </div>
          {user.role !== 'field-engineer' ? (
            <div className="section">
              <h2>{t('bindInstance.title')}</h2>
              <InstanceBinder site={site} onSaved={setChanged} />
            </div>
          ) : null}
          {user.role === 'admin' ? (
            <div className="section">
              <h2>{t('engineers.title')}</h2>
              <EngineersEditor site={site} onSaved={setChanged} />
            </div>
          ) : null}
        </div>
        <div>
          <div className="section">
            <h2>{t('live.title')}</h2>
            <LiveStatusPanel siteId={site.id} round={round} onStatus={setLive} />
          </div>
          <div className="section">
            <h2>{t('deployments.title')}</h2>
            <DeploymentsTable siteId={site.id} round={round} />
          </div>
        </div>
      </div>
    </section>
  );
}
