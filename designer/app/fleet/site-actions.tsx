import { useState } from 'react';
import type { ApiError, Role } from '../api';
import { api } from '../api';
import { ApiErrorBox } from '../library/ui/api-error-box';
import { asApiError } from '../library/ui/api-problems';
import { ConfirmDialog } from '../library/ui/confirm-dialog';
import { downloadBundle } from './bundle-download';
import type { DeployResult, FleetEntry } from './fleet-types';
import { useFleetMessages } from './use-fleet-messages';

/** Who may deploy, roll back and export one site (the studio's SITE_DEPLOYERS; an enterprise only its own sites). */
export const DEPLOYERS: readonly Role[] = ['admin', 'field-engineer', 'enterprise'];

type Pending = 'deploy' | 'rollback' | undefined;
type Outcome = { kind: 'ok'; text: string } | { kind: 'error'; error: ApiError } | undefined;

/**
 * Deploy, roll back and download the bundle of one site, each behind a confirmation, with the
 * studio's answer shown as it came (the runtime's own refusal and details included).
 */
export function SiteActions({ site, role, lastGood, onDone }: {
  site: Pick<FleetEntry, 'id' | 'name' | 'instance'>;
  role: Role;
  /** The last good deployment's sequence, when known, for the rollback question. */
  lastGood?: number | undefined;
  onDone?: () => void;
}) {
  const { t } = useFleetMessages();
  const [confirm, setConfirm] = useState<Pending>();
  const [busy, setBusy] = useState<'deploy' | 'rollback' | 'download' | undefined>();
  const [outcome, setOutcome] = useState<Outcome>();
  if (!DEPLOYERS.includes(role)) return <p className="muted">{t('actions.notAllowed')}</p>;

  async function run(kind: 'deploy' | 'rollback' | 'download') {
    setConfirm(undefined);
    setBusy(kind);
    setOutcome(undefined);
    try {
      if (kind === 'download') {
        const file = await downloadBundle(site.id);
        setOutcome({ kind: 'ok', text: t('actions.downloaded', { file }) });
      } else {
        const r = await api.post<DeployResult>(`/api/sites/${encodeURIComponent(site.id)}/${kind}`);
        setOutcome({
          kind: 'ok',
          text: kind === 'deploy'
            ? t('actions.deployed', { sequence: r.deployment?.sequence, template: r.deployment?.template ?? '', status: r.deployment?.runtimeStatus ?? r.status })
            : t('actions.rolledBack', { sequence: r.deployment?.sequence }),
        });
      }
    } catch (err) {
      setOutcome({ kind: 'error', error: asApiError(err) });
    } finally {
      setBusy(undefined);
      onDone?.();
    }
  }

  const noInstance = site.instance === null;
  return (
    <div className="site-actions">
      <div className="toolbar-row">
        <button type="button" className="primary" data-action="deploy" disabled={busy !== undefined || noInstance} onClick={() => setConfirm('deploy')}>
          {busy === 'deploy' ? t('actions.deploying') : t('actions.deploy')}
        </button>
        <button type="button" data-action="rollback" disabled={busy !== undefined} onClick={() => setConfirm('rollback')}>
          {busy === 'rollback' ? t('actions.rollingBack') : t('actions.rollback')}
        </button>
        <button type="button" data-action="download" disabled={busy !== undefined || noInstance} onClick={() => void run('download')}>
          {busy === 'download' ? t('actions.downloading') : t('actions.download')}
        </button>
        {noInstance ? <span className="muted">{t('actions.noInstance')}</span> : null}
      </div>
      <div className="deploy-answer" aria-live="polite">
        {outcome?.kind === 'ok' ? <p className="ok-text" role="status">{outcome.text}</p> : null}
        {outcome?.kind === 'error' ? <ApiErrorBox error={outcome.error} title={t('actions.answer')} /> : null}
      </div>
      {confirm === 'deploy' ? (
        <ConfirmDialog
          title={t('actions.confirmDeploy', { name: site.name })}
          confirmLabel={t('actions.deploy')}
          onCancel={() => setConfirm(undefined)}
          onConfirm={() => void run('deploy')}
        >
          <p>{t('actions.confirmDeployText', { instance: site.instance?.name ?? '', template: site.instance?.template ?? '' })}</p>
        </ConfirmDialog>
      ) : null}
      {confirm === 'rollback' ? (
        <ConfirmDialog
          title={t('actions.confirmRollback', { name: site.name })}
          confirmLabel={t('actions.rollback')}
          danger
          onCancel={() => setConfirm(undefined)}
          onConfirm={() => void run('rollback')}
        >
          <p>{t('actions.confirmRollbackText', { lastGood: lastGood === undefined ? '?' : t('seq', { sequence: lastGood }) })}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
