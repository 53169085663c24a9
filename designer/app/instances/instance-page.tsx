import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { Template } from '../../../runtime/model';
import { compareVersions, parseTemplateRef } from '../../../runtime/model';
import type { ApiError } from '../api';
import { api } from '../api';
import { useLang } from '../i18n/language';
import { COPIERS } from '../library/sample-firms';
import type { InstanceAnswer, InstanceView, TemplateVersion, TemplateVersions } from '../library/library-types';
import { ApiErrorBox } from '../library/ui/api-error-box';
import { ConfirmDialog } from '../library/ui/confirm-dialog';
import { asApiError } from '../library/ui/api-problems';
import { TimeText } from '../library/ui/time-text';
import { useApi } from '../library/ui/use-api';
import { useUi } from '../library/ui/use-ui';
import { useUser } from '../shell/session';
import type { DeviceTable } from './device-table';
import { devicesForRequest, tableFromDevices } from './device-table';
import { DevicesEditor } from './devices-editor';
import type { ParameterInput } from './parameter-values';
import { inputsFor, parameterPatch } from './parameter-values';
import { ParametersForm } from './parameters-form';
import { ScenarioPicker } from './scenario-picker';
import { SiteBinding } from './site-binding';
import { UplinkEditor } from './uplink-editor';
import { useInstancesMessages } from './use-instances-messages';
import '../library/ui/ui.css';
import './instances.css';

/** One instance: its facts, its scenarios, parameters and devices to change, binding, uplink consent, upgrade. */
export default function InstancePage() {
  const { id = '' } = useParams();
  const ui = useUi();
  const loaded = useApi(async (signal) => {
    const { instance } = await api.get<InstanceAnswer>(`/api/instances/${encodeURIComponent(id)}`, { signal });
    const ref = parseTemplateRef(instance.template)!;
    const [version, versions] = await Promise.all([
      api.get<TemplateVersion>(`/api/templates/${encodeURIComponent(ref.id)}/versions/${encodeURIComponent(ref.version)}`, { signal }),
      api.get<TemplateVersions>(`/api/templates/${encodeURIComponent(ref.id)}`, { signal }),
    ]);
    return { instance, template: version.template, versions: versions.versions };
  }, [id]);
  const [current, setCurrent] = useState<InstanceView | undefined>();
  const [note, setNote] = useState<string | undefined>();
  if (loaded.error) return <section className="page"><ApiErrorBox error={loaded.error} onRetry={loaded.reload} /></section>;
  if (!loaded.data) return <section className="page"><p className="muted">{ui.t('loading')}</p></section>;
  const instance = current && current.id === loaded.data.instance.id && current.revision >= loaded.data.instance.revision ? current : loaded.data.instance;
  const newer = loaded.data.versions.filter((v) => v.status === 'published' && compareVersions(v.version, parseTemplateRef(instance.template)!.version) > 0)[0]?.version;
  return (
    <InstanceEditor
      key={`${instance.id}#${instance.revision}`}
      instance={instance}
      template={loaded.data.template}
      newer={newer}
      note={instance === current ? note : undefined}
      onSaved={(v, text) => { setCurrent(v); setNote(text); }}
      onReload={() => { setCurrent(undefined); loaded.reload(); }}
    />
  );
}

function InstanceEditor({ instance, template, newer, note, onSaved, onReload }: {
  instance: InstanceView;
  template: Template;
  newer: string | undefined;
  /** What the last save here did (this revision is the one it made). */
  note: string | undefined;
  onSaved: (v: InstanceView, note: string) => void;
  onReload: () => void;
}) {
  const { t } = useInstancesMessages();
  const { text } = useLang();
  const user = useUser();
  const doc = instance.instance;
  const editable = COPIERS.includes(user.role) && !(instance.sample && user.role === 'enterprise');
  const [scenarios, setScenarios] = useState<readonly string[]>(doc.scenarios);
  const [inputs, setInputs] = useState<Record<string, ParameterInput>>(() => inputsFor(template.parameters, doc.parameters));
  const initialDevices = useMemo(() => tableFromDevices(doc.devices), [doc.devices]);
  const [devices, setDevices] = useState<DeviceTable>(initialDevices);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<'ask' | 'busy' | undefined>();
  const navigate = useNavigate();

  const patch = parameterPatch(template.parameters, inputs, doc.parameters);
  const scenariosChanged = scenarios.join() !== doc.scenarios.join();
  const devicesChanged = devices !== initialDevices;
  const dirty = scenariosChanged || devicesChanged || Object.keys(patch).length > 0;
  const problems = error?.details ?? [];

  async function save() {
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, unknown> = { revision: instance.revision };
      if (scenariosChanged) body.scenarios = scenarios;
      if (Object.keys(patch).length > 0) body.parameters = patch;
      if (devicesChanged) Object.assign(body, devicesForRequest(devices));
      const answer = await api.patch<InstanceAnswer>(`/api/instances/${encodeURIComponent(instance.id)}`, body);
      onSaved(answer.instance, t('instance.saved', { revision: answer.instance.revision }));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setDeleting('busy');
    setError(undefined);
    try {
      await api.delete(`/api/instances/${encodeURIComponent(instance.id)}`);
      void navigate('/instances');
    } catch (err) {
      setError(asApiError(err));
      setDeleting(undefined);
    }
  }

  return (
    <section className="page instance-page" data-instance={instance.id}>
      <nav className="breadcrumbs"><Link to="/instances">{t('instance.back')}</Link> › {instance.name}</nav>
      <div className="instance-head">
        <h1>{instance.name}</h1>
        {instance.sample ? <span className="badge x">{t('instance.sample')}</span> : null}
        <span className="mono muted">{instance.template}</span>
        {user.role !== 'field-engineer' && !(instance.sample && user.role === 'enterprise') ? (
          <Link className="button" data-action="preview" to={`/preview/instances/${encodeURIComponent(instance.id)}`}>{t('instance.preview')}</Link>
        ) : null}
      </div>
      {note ? <p className="ok-text" role="status">✓ {note}</p> : null}
      {newer && !instance.sample && editable ? (
        <p className="notice upgrade-banner">
          {t('instance.upgradeAvailable', { version: newer })} <Link to={`/instances/${encodeURIComponent(instance.id)}/upgrade?to=${encodeURIComponent(newer)}`}>{t('instance.upgrade')}</Link>
        </p>
      ) : null}
      {instance.sample && user.role === 'enterprise' ? (
        <p className="notice">{t('instance.readOnly')} <Link className="button primary" to={`/instances/copy/${encodeURIComponent(instance.id)}`}>{t('instance.copy')}</Link></p>
      ) : !editable ? <p className="notice">{t('instance.readOnlyRole')}</p> : null}
      <div className="instance-layout">
        <div>
          <div className="section">
            <h2>{t('instance.scenarios')}</h2>
            <ScenarioPicker template={template} chosen={scenarios} readOnly={!editable} problems={problems} onChange={(key, on) => setScenarios(on ? template.scenarios.map((s) => s.key).filter((k) => k === key || scenarios.includes(k)) : scenarios.filter((k) => k !== key))} />
          </div>
          <div className="section">
            <h2>{t('steps.parameters')}</h2>
            <ParametersForm parameters={template.parameters} inputs={inputs} readOnly={!editable} problems={problems} onChange={(key, value) => setInputs((i) => ({ ...i, [key]: value }))} />
          </div>
          <div className="section">
            <h2>{t('steps.devices')}</h2>
            <DevicesEditor table={devices} groups={template.deviceGroups} readOnly={!editable} problems={problems} onChange={setDevices} />
          </div>
          {editable ? (
            <div className="save-bar">
              <button type="button" className="primary" data-action="save" disabled={!dirty || busy} onClick={() => void save()}>{busy ? t('instance.saving') : t('instance.save')}</button>
              {dirty ? <span className="warn-text">{t('instance.unsaved')}</span> : null}
              {error?.code === 'stale-revision' ? <button type="button" onClick={onReload}>{t('instance.reload')}</button> : null}
            </div>
          ) : null}
          {error ? <ApiErrorBox error={error} title={error.code === 'stale-revision' ? t('instance.stale') : undefined} /> : null}
        </div>
        <aside>
          <div className="section">
            <dl className="kv">
              <dt>{t('instance.template')}</dt>
              <dd><Link to={`/library/${encodeURIComponent(parseTemplateRef(instance.template)!.id)}?version=${encodeURIComponent(parseTemplateRef(instance.template)!.version)}`}>{text(template.title)}</Link> <span className="mono muted">{instance.template}</span></dd>
              <dt>{t('instance.enterprise')}</dt><dd>{doc.enterprise}</dd>
              <dt>{t('instance.site')}</dt><dd className="mono">{doc.site}</dd>
              <dt>{t('instance.boundTo')}</dt>
              <dd>{instance.site ? <Link to={`/fleet/sites/${encodeURIComponent(instance.site.id)}`}>{instance.site.name}</Link> : <span className="muted">{t('instance.notBound')}</span>}</dd>
              <dt>{t('instance.revision')}</dt><dd>{instance.revision}</dd>
              <dt>{t('instance.hash')}</dt><dd className="mono" title={instance.hash}>{instance.hash.slice(0, 19)}…</dd>
              {instance.copiedFrom ? <><dt>{t('instance.copiedFrom')}</dt><dd><Link to={`/instances/${encodeURIComponent(instance.copiedFrom)}`} className="mono">{instance.copiedFrom}</Link></dd></> : null}
              <dt>{t('instance.updated')}</dt><dd><TimeText iso={instance.updatedAt} relative /></dd>
            </dl>
          </div>
          {!instance.sample ? (
            <div className="section">
              <h2>{t('bind.title')}</h2>
              <SiteBinding instance={instance} role={user.role} />
            </div>
          ) : null}
          {!instance.sample ? <UplinkEditor instance={instance} role={user.role} onSaved={onSaved} /> : null}
          {editable ? (
            <div className="section">
              <button type="button" className="danger" data-action="delete-instance" disabled={instance.site !== null} title={instance.site ? t('instance.deleteBound') : undefined} onClick={() => setDeleting('ask')}>{t('instance.delete')}</button>
              {instance.site ? <p className="muted">{t('instance.deleteBound')}</p> : null}
            </div>
          ) : null}
        </aside>
        {deleting ? (
          <ConfirmDialog title={t('instance.deleteTitle', { name: instance.name })} confirmLabel={t('instance.delete')} danger busy={deleting === 'busy'} onConfirm={() => void remove()} onCancel={() => setDeleting(undefined)}>
            <p>{t('instance.deleteBody')}</p>
          </ConfirmDialog>
        ) : null}
      </div>
    </section>
  );
}
