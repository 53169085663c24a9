import { memo, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Instance } from '../../../runtime/model';
import { parseTemplateRef } from '../../../runtime/model';
import { ApiError, api } from '../api';
import type { ProfileInfo } from '../editor/editor-context';
import { createEditorStore } from '../editor/editor-store';
import type { EditorStore } from '../editor/editor-store';
import type { FlowDoc } from '../editor/flow-doc';
import { FlowEditor } from '../editor/flow-editor';
import { useMessages } from '../i18n/i18n';
import { useLang } from '../i18n/language';
import { previewMessages } from './messages';
import { PreviewPanel } from './preview-panel';
import type { PreviewParameter } from './preview-panel';
import { usePreview } from './use-preview';
import '../editor/editor.css';
import './preview.css';

/** The flow editor re-renders from its own store only, not with every preview event. */
const StableFlowEditor = memo(FlowEditor);

interface Loaded {
  readonly name: string;
  readonly ref: string;
  readonly editor: EditorStore;
  readonly parameters: readonly PreviewParameter[];
}

type Json = Record<string, unknown>;

/** The flows an instance runs: its template's N scenarios and the X ones it chose. */
async function load(id: string): Promise<Loaded> {
  const { instance } = await api.get<{ instance: { name: string; template: string; instance: Instance } }>(`/api/instances/${encodeURIComponent(id)}`);
  const ref = parseTemplateRef(instance.template);
  if (!ref) throw new ApiError(422, 'wrong-template', { zh: `${previewMessages.zh.instance.badRef}：${instance.template}`, en: `${previewMessages.en.instance.badRef}: ${instance.template}` });
  const [version, profiles] = await Promise.all([
    api.get<{ template: Json }>(`/api/templates/${encodeURIComponent(ref.id)}/versions/${encodeURIComponent(ref.version)}`),
    api.get<{ profiles: ProfileInfo[] }>('/api/device-profiles').catch(() => ({ profiles: [] as ProfileInfo[] })),
  ]);
  const chosen = new Set(instance.instance.scenarios ?? []);
  const scenarios = (version.template.scenarios as Json[]).filter((s) => s.kind === 'N' || chosen.has(String(s.key)));
  const editor = createEditorStore({
    flows: scenarios.map((s) => s.flow as unknown as FlowDoc),
    context: {
      parameters: (version.template.parameters ?? []) as never,
      deviceGroups: (version.template.deviceGroups ?? []) as never,
      profiles: Object.fromEntries(profiles.profiles.map((p) => [p.id, p])),
    },
  });
  const values = instance.instance.parameters ?? {};
  const parameters = ((version.template.parameters ?? []) as PreviewParameter[]).map((p) => ({ ...p, default: values[p.key] ?? p.default }));
  return { name: instance.name, ref: instance.template, editor, parameters };
}

/** /preview/instances/:id — an instance's flows with the preview beside the canvas (its devices simulated). */
export default function InstancePreviewPage() {
  const { t } = useMessages('preview', previewMessages);
  const { text } = useLang();
  const { id = '' } = useParams();
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  useEffect(() => {
    let live = true;
    setLoaded(undefined);
    load(id).then((l) => live && setLoaded(l), (err) => live && setError(err instanceof ApiError ? err : new ApiError(0, 'error', { zh: String(err), en: String(err) })));
    return () => {
      live = false;
    };
  }, [id]);

  if (error) {
    return (
      <section className="page page-message" role="alert">
        <h1>{t('instance.title')}</h1>
        <p>{text(error.text)}</p>
        <Link to="/">←</Link>
      </section>
    );
  }
  if (!loaded) return <div className="loading">{t('instance.loading')}</div>;
  return <InstancePreview id={id} loaded={loaded} />;
}

function InstancePreview({ id, loaded }: { id: string; loaded: Loaded }) {
  const { t } = useMessages('preview', previewMessages);
  const preview = usePreview(loaded.editor);
  return (
    <div className="instance-preview">
      <header className="instance-preview-head">
        <h1>{t('instance.title')}: {loaded.name}</h1>
        <span className="muted">{t('instance.template', { ref: loaded.ref })}</span>
      </header>
      <div className="scenario-flow with-preview">
        <div className="embedded-editor"><StableFlowEditor store={loaded.editor} /></div>
        <PreviewPanel
          preview={preview}
          editor={loaded.editor}
          source={() => ({ instance: id })}
          sourceLabel={t('source.instance', { instance: id, ref: loaded.ref })}
          parameters={loaded.parameters}
          onShowNode={(flowId, nodeId) => {
            loaded.editor.getState().setActive(flowId);
            loaded.editor.getState().select([nodeId]);
          }}
        />
      </div>
    </div>
  );
}
