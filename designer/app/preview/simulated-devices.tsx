import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { useLang } from '../i18n/language';
import { tagValue } from './format';
import type { PreviewView } from './preview-events';
import type { DeviceStateView, PreviewDevice } from './preview-types';
import type { DeviceScript } from './use-preview';

function DeviceCard({ device, state, script, disabled }: {
  device: PreviewDevice;
  state: DeviceStateView | undefined;
  script: (command: DeviceScript) => Promise<void>;
  disabled: boolean;
}) {
  const { t } = useTranslation('preview');
  const { text } = useLang();
  const [faultCode, setFaultCode] = useState('1');
  const [tag, setTag] = useState(device.tags[0]?.key ?? '');
  const [value, setValue] = useState('');
  const [showValues, setShowValues] = useState(false);
  const tagSpec = device.tags.find((x) => x.key === tag);
  const held = Object.keys(state?.scripted.tags ?? {});
  const scripted = state?.scripted.state;
  const offline = state?.scripted.offline === true;
  const label = (l: unknown) => (typeof l === 'object' && l !== null && 'zh' in l ? text(l as { zh: string; en: string }) : '');
  return (
    <li className={`device-card health-${state?.health ?? 'connecting'} state-${state?.state ?? 'idle'}`} data-device={device.name}>
      <div className="device-head">
        <strong>{device.name}</strong>
        <span className="muted small">{device.group} · {device.profile}</span>
        <span className="spacer" />
        <span className={`chip health health-${state?.health ?? 'connecting'}`}>{t(`devices.health.${state?.health ?? 'connecting'}`, { defaultValue: state?.health })}</span>
        <span className={`chip state state-${state?.state ?? 'idle'}`}>{t(`devices.state.${state?.state ?? 'idle'}`, { defaultValue: state?.state })}</span>
      </div>
      {scripted || held.length > 0 || offline ? (
        <div className="scripted small">
          {t('devices.scripted', {
            what: [
              scripted ? `${t(`devices.state.${scripted.state}`)}${scripted.faultCode ? ` #${scripted.faultCode}` : ''}` : '',
              held.length > 0 ? t('devices.held', { tags: held.join(', ') }) : '',
              offline ? t('devices.offline') : '',
            ].filter(Boolean).join(' · '),
          })}
        </div>
      ) : null}
      <fieldset className="device-actions" disabled={disabled}>
        <span className="action-group">
          <input className="fault-code" type="number" min={1} value={faultCode} aria-label={`${device.name} · ${t('devices.faultCode')}`} title={t('devices.faultCode')} onChange={(e) => setFaultCode(e.target.value)} />
          <button type="button" className="danger force-fault" onClick={() => void script({ state: 'fault', ...(Number(faultCode) >= 1 ? { faultCode: Math.round(Number(faultCode)) } : {}) })}>{t('devices.fault')}</button>
        </span>
        <button type="button" onClick={() => void script({ state: 'running' })}>{t('devices.run')}</button>
        <button type="button" onClick={() => void script({ state: 'idle' })}>{t('devices.idle')}</button>
        <button type="button" disabled={!scripted} onClick={() => void script({ state: 'auto' })}>{t('devices.auto')}</button>
        <button type="button" className="go-offline" onClick={() => void script({ offline: !offline })}>{offline ? t('devices.goOnline') : t('devices.goOffline')}</button>
      </fieldset>
      {device.tags.length > 0 ? (
        <fieldset className="device-hold" disabled={disabled}>
          <select aria-label={`${device.name} · ${t('devices.tag')}`} value={tag} onChange={(e) => setTag(e.target.value)}>
            {device.tags.map((x) => <option key={x.key} value={x.key}>{x.key}{label(x.label) ? ` · ${label(x.label)}` : ''}</option>)}
          </select>
          <input aria-label={`${device.name} · ${t('devices.value')}`} placeholder={tagSpec?.type === 'bool' ? 'true / false' : tagSpec?.type} value={value} onChange={(e) => setValue(e.target.value)} />
          <button type="button" disabled={!tagSpec || tagValue(tagSpec.type, value) === undefined} onClick={() => {
            const v = tagSpec ? tagValue(tagSpec.type, value) : undefined;
            if (v !== undefined) void script({ tag, value: v });
          }}>{t('devices.hold')}</button>
          <button type="button" disabled={!held.includes(tag)} onClick={() => void script({ tag, value: null })}>{t('devices.release')}</button>
        </fieldset>
      ) : null}
      <button type="button" className="link small" aria-expanded={showValues} onClick={() => setShowValues(!showValues)}>{t('devices.values')} {showValues ? '▴' : '▾'}</button>
      {showValues && state ? (
        <table className="tag-values">
          <tbody>
            {Object.entries(state.values).map(([k, v]) => (
              <tr key={k} className={held.includes(k) ? 'held' : undefined}><th>{k}</th><td>{v === null ? '—' : String(v)}</td></tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </li>
  );
}

/** The preview's simulated devices with their states, and ways to force a fault, hold a tag or take one offline. */
export function SimulatedDevices({ view, script }: { view: PreviewView; script: (device: string, command: DeviceScript) => Promise<DeviceStateView> }) {
  const { t } = useTranslation('preview');
  const { text } = useLang();
  const [error, setError] = useState<string | undefined>();
  const devices = view.info?.devices ?? [];
  if (devices.length === 0) return <p className="muted">{t('devices.none')}</p>;
  const running = view.status === 'running';
  return (
    <div className="device-panel">
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      <ul className="devices">
        {devices.map((d) => (
          <DeviceCard key={d.name} device={d} state={view.devices[d.name]} disabled={!running} script={async (command) => {
            setError(undefined);
            try {
              await script(d.name, command);
            } catch (err) {
              setError(err instanceof ApiError ? [text(err.text), ...err.details.map((x) => text(x.message))].join(' · ') : String(err));
            }
          }} />
        ))}
      </ul>
    </div>
  );
}
