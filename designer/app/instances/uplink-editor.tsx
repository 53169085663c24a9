import { useState } from 'react';
import type { Problem } from '../../../runtime/model';
import { GRANULARITIES } from '../../../runtime/model';
import type { ApiError, ApiErrorDetail, Role } from '../api';
import { api } from '../api';
import { useLang } from '../i18n/language';
import type { InstanceAnswer, InstanceView } from '../library/library-types';
import { ApiErrorBox, FieldProblems } from '../library/ui/api-error-box';
import { asApiError, detailsUnder } from '../library/ui/api-problems';
import { ConfirmDialog } from '../library/ui/confirm-dialog';
import type { EndpointRow, StreamRow, UplinkForm } from './uplink-form';
import { formOf, policyOf, uplinkProblems } from './uplink-form';
import { useInstancesMessages } from './use-instances-messages';

/**
 * The enterprise's consent to send data off site: the instance's `uplink` (endpoints and streams).
 * The enterprise edits it, checked live with runtime/model's policy check; everyone else sees it
 * read-only (the studio refuses anyone else's change with 403 consent-by-enterprise).
 */
export function UplinkEditor({ instance, role, onSaved }: { instance: InstanceView; role: Role; onSaved: (v: InstanceView, note: string) => void }) {
  const { t } = useInstancesMessages();
  const { text } = useLang();
  const editable = role === 'enterprise';
  const stored = instance.instance.uplink;
  const [form, setForm] = useState<UplinkForm>(() => formOf(stored));
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const local: Problem[] = editable ? uplinkProblems(form) : [];
  const remote: readonly ApiErrorDetail[] = error?.details ?? [];
  const at = (...path: (string | number)[]) => [
    ...local.filter((p) => path.every((x, i) => p.path[i] === x) && p.path.length === path.length).map((p) => text(p.message)),
    ...detailsUnder(remote, path).map((d) => text(d.message)),
  ];

  async function save(uplink: unknown) {
    setConfirm(false);
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.patch<InstanceAnswer>(`/api/instances/${encodeURIComponent(instance.id)}`, { uplink, revision: instance.revision });
      onSaved(answer.instance, t(uplink === null ? 'uplink.withdrawn' : 'uplink.saved', { revision: answer.instance.revision }));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const setEndpoint = (i: number, change: Partial<EndpointRow>) => setForm((f) => ({ ...f, endpoints: f.endpoints.map((e, k) => (k === i ? { ...e, ...change } : e)) }));
  const setStream = (i: number, change: Partial<StreamRow>) => setForm((f) => ({ ...f, streams: f.streams.map((s, k) => (k === i ? { ...s, ...change } : s)) }));
  const input = (value: string, label: string, path: (string | number)[], onChange: (v: string) => void) => {
    const messages = at('uplink', ...path);
    return (
      <td className={messages.length ? 'invalid' : ''}>
        <input value={value} aria-label={label} aria-invalid={messages.length > 0} disabled={!editable} onChange={(e) => onChange(e.target.value)} />
        <FieldProblems messages={messages} />
      </td>
    );
  };

  const empty = form.endpoints.length === 0 && form.streams.length === 0;
  return (
    <div className="section uplink-editor">
      <h2>{t('uplink.title')}</h2>
      <p className="muted">{t('uplink.intro')}</p>
      {!editable ? <p className="notice">{t('uplink.readOnly')}</p> : null}
      {empty && !editable ? <p>{t('uplink.none')}</p> : null}
      {!empty || editable ? (
        <>
          <h3>{t('uplink.endpoints')}</h3>
          <div className="table-wrap">
            <table className="data-table uplink-table">
              <thead><tr><th>{t('uplink.id')}</th><th>{t('uplink.kind')}</th><th>{t('uplink.url')}</th><th>{t('uplink.topic')}</th><th>{t('uplink.username')}</th><th>{t('uplink.passwordSecret')}</th>{editable ? <th /> : null}</tr></thead>
              <tbody>
                {form.endpoints.map((e, i) => (
                  <tr key={i}>
                    {input(e.id, `${t('uplink.id')} ${i + 1}`, ['endpoints', i, 'id'], (v) => setEndpoint(i, { id: v }))}
                    <td>
                      <select value={e.kind} disabled={!editable} aria-label={`${t('uplink.kind')} ${i + 1}`} onChange={(x) => setEndpoint(i, { kind: x.target.value as 'mqtt' | 'http' })}>
                        <option value="mqtt">MQTT</option><option value="http">HTTP</option>
                      </select>
                    </td>
                    {input(e.url, `${t('uplink.url')} ${i + 1}`, ['endpoints', i, 'url'], (v) => setEndpoint(i, { url: v }))}
                    {input(e.topic, `${t('uplink.topic')} ${i + 1}`, ['endpoints', i, 'topic'], (v) => setEndpoint(i, { topic: v }))}
                    {input(e.username, `${t('uplink.username')} ${i + 1}`, ['endpoints', i, 'username'], (v) => setEndpoint(i, { username: v }))}
                    {input(e.passwordSecret, `${t('uplink.passwordSecret')} ${i + 1}`, ['endpoints', i, 'passwordSecret'], (v) => setEndpoint(i, { passwordSecret: v }))}
                    {editable ? <td><button type="button" className="icon" aria-label={t('uplink.remove')} onClick={() => setForm((f) => ({ ...f, endpoints: f.endpoints.filter((_, k) => k !== i) }))}>✕</button></td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {editable ? <button type="button" onClick={() => setForm((f) => ({ ...f, endpoints: [...f.endpoints, { id: `ep${f.endpoints.length + 1}`, kind: 'mqtt', url: '', topic: '', username: '', passwordSecret: '', extra: {} }] }))}>{t('uplink.addEndpoint')}</button> : null}
          <h3>{t('uplink.streams')}</h3>
          <div className="table-wrap">
            <table className="data-table uplink-table">
              <thead><tr><th>{t('uplink.id')}</th><th>{t('uplink.endpoint')}</th><th>{t('uplink.devicesCol')}</th><th>{t('uplink.tags')}</th><th>{t('uplink.granularity')}</th>{editable ? <th /> : null}</tr></thead>
              <tbody>
                {form.streams.map((s, i) => (
                  <tr key={i}>
                    {input(s.id, `${t('uplink.id')} ${i + 1}`, ['streams', i, 'id'], (v) => setStream(i, { id: v }))}
                    {input(s.endpoint, `${t('uplink.endpoint')} ${i + 1}`, ['streams', i, 'endpoint'], (v) => setStream(i, { endpoint: v }))}
                    {input(s.devices, `${t('uplink.devicesCol')} ${i + 1}`, ['streams', i, 'devices'], (v) => setStream(i, { devices: v }))}
                    {input(s.tags, `${t('uplink.tags')} ${i + 1}`, ['streams', i, 'tags'], (v) => setStream(i, { tags: v }))}
                    <td>
                      <select value={s.granularity} disabled={!editable} aria-label={`${t('uplink.granularity')} ${i + 1}`} onChange={(x) => setStream(i, { granularity: x.target.value as StreamRow['granularity'] })}>
                        {GRANULARITIES.map((g) => <option key={g} value={g}>{t(`uplink.granularities.${g}`)}</option>)}
                      </select>
                    </td>
                    {editable ? <td><button type="button" className="icon" aria-label={t('uplink.remove')} onClick={() => setForm((f) => ({ ...f, streams: f.streams.filter((_, k) => k !== i) }))}>✕</button></td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {editable ? <button type="button" onClick={() => setForm((f) => ({ ...f, streams: [...f.streams, { id: `s${f.streams.length + 1}`, endpoint: f.endpoints[0]?.id ?? '', devices: '*', tags: '', granularity: 'kpi' }] }))}>{t('uplink.addStream')}</button> : null}
        </>
      ) : null}
      {editable ? (
        <div className="toolbar-row">
          <button type="button" className="primary" disabled={busy || local.length > 0} onClick={() => void save(policyOf(form))}>{t('uplink.save')}</button>
          {stored !== undefined ? <button type="button" className="danger" disabled={busy} onClick={() => setConfirm(true)}>{t('uplink.withdraw')}</button> : null}
        </div>
      ) : null}
      {local.filter((p) => p.path.length <= 2).map((p, i) => <p key={i} className="error">{text(p.message)}</p>)}
      {error ? <ApiErrorBox error={error} /> : null}
      {confirm ? (
        <ConfirmDialog title={t('uplink.withdraw')} confirmLabel={t('uplink.withdraw')} danger onCancel={() => setConfirm(false)} onConfirm={() => void save(null)}>
          <p>{t('uplink.confirmWithdraw')}</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
