import { useState } from 'react';
import type { ApiError } from '../api';
import { api } from '../api';
import { ApiErrorBox } from '../library/ui/api-error-box';
import { asApiError } from '../library/ui/api-problems';
import { InfoDialog } from '../library/ui/confirm-dialog';
import { CopyButton } from '../library/ui/copy-button';
import { TimeText } from '../library/ui/time-text';
import type { PairingCode } from './fleet-types';
import { useFleetMessages } from './use-fleet-messages';

/** The command an engineer types on the site PC to pair its runtime with this studio. */
export function pairCommand(code: string, studioUrl: string): string {
  return `kaiwu pair ${code} --studio ${studioUrl} --data /var/lib/kaiwu`;
}

/**
 * Makes a one-time pairing code (POST /api/pairing-codes) and shows it large, with its expiry and
 * the `kaiwu pair` line to type on the site.
 */
export function PairingDialog({ onClose, enterpriseHint }: { onClose: () => void; enterpriseHint?: string }) {
  const { t } = useFleetMessages();
  const [name, setName] = useState('');
  const [enterprise, setEnterprise] = useState(enterpriseHint ?? '');
  const [code, setCode] = useState<PairingCode | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  async function create() {
    setBusy(true);
    setError(undefined);
    try {
      setCode(await api.post<PairingCode>('/api/pairing-codes', { ...(name.trim() ? { name: name.trim() } : {}), ...(enterprise.trim() ? { enterprise: enterprise.trim() } : {}) }));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const command = code ? pairCommand(code.code, window.location.origin) : '';
  return (
    <InfoDialog title={t('pairing.title')} onClose={onClose}>
      {code ? (
        <div className="pairing-result">
          <p className="pairing-code" data-code={code.code}>{code.code}</p>
          <p className="muted">{t('pairing.expires', { time: '' })}<TimeText iso={code.expiresAt} relative /></p>
          <p>{t('pairing.intro')}</p>
          <p className="muted">{t('pairing.command')}</p>
          <div className="command-line"><code>{command}</code> <CopyButton text={command} /></div>
        </div>
      ) : (
        <div className="form-grid">
          <label>{t('pairing.name')}<input name="pairing-name" value={name} onChange={(e) => setName(e.target.value)} /></label>
          <label>{t('pairing.enterprise')}<input name="pairing-enterprise" value={enterprise} onChange={(e) => setEnterprise(e.target.value)} /></label>
          <div><button type="button" className="primary" disabled={busy} onClick={() => void create()}>{busy ? t('pairing.creating') : t('pairing.create')}</button></div>
          {error ? <ApiErrorBox error={error} /> : null}
        </div>
      )}
    </InfoDialog>
  );
}
