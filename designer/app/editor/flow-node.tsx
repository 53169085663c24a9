import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { Node, NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { PortSpec, Text } from '../../../runtime/model';
import { useLang } from '../i18n/language';
import { useEditor } from './use-editor';

/** What the canvas shows of a node: plain data derived from the flow document (no callbacks). */
export interface FlowNodeData extends Record<string, unknown> {
  readonly nodeType: string;
  readonly icon: string;
  readonly title: Text | undefined;
  readonly name: string | Text | undefined;
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[];
  readonly problems: readonly Text[];
  readonly disabled: boolean;
  readonly category: string;
}

export type CanvasNode = Node<FlowNodeData, 'kaiwu'>;

const PORT_GAP = 18;

/**
 * A node on the canvas: icon, title, name, named ports, and a badge with its problems. It draws
 * from `id`, `data` and `selected` only, so React Flow's other props (the position while
 * dragging, z-index …) do not re-render it.
 */
export const FlowNodeView = memo(FlowNodeBody, (a, b) => a.id === b.id && a.data === b.data && a.selected === b.selected);

function FlowNodeBody({ id, data, selected }: NodeProps<CanvasNode>) {
  const { t } = useTranslation('editor');
  const { text } = useLang();
  const rows = Math.max(data.inputs.length, data.outputs.length, 1);
  const name = typeof data.name === 'string' ? data.name : data.name ? text(data.name) : undefined;
  const problems = data.problems.length;
  const live = useEditor((s) => s.live?.[`${s.activeId}/${id}`]);
  return (
    <div
      className={`flow-node cat-${data.category}${selected ? ' selected' : ''}${problems ? ' has-problems' : ''}${data.disabled ? ' disabled' : ''}`}
      style={{ minHeight: 40 + rows * PORT_GAP }}
      data-node-id={id}
      data-node-type={data.nodeType}
    >
      <div className="flow-node-head">
        <span className="node-icon" aria-hidden>{data.icon}</span>
        <span className="flow-node-title">{data.title ? text(data.title) : t('node.unknown', { type: data.nodeType })}</span>
        {problems > 0 ? (
          <span className="problem-badge" role="img" aria-label={t('node.problems', { count: problems })} title={data.problems.map((p) => text(p)).join('\n')}>
            {problems}
          </span>
        ) : null}
      </div>
      <div className="flow-node-name">{name ?? id}{data.disabled ? ` · ${t('node.disabled')}` : ''}</div>
      {live ? (
        <div className={`live-stats live-${live.state}`} title={live.title} data-live-state={live.state}>
          <span className="live-dot" aria-hidden />
          <span className="live-in">↓{live.in}</span>
          <span className="live-out">↑{live.out}</span>
          {live.errors > 0 ? <span className="live-errors">⚠{live.errors}</span> : null}
        </div>
      ) : null}
      {data.inputs.map((p, i) => (
        <Handle key={`in-${p.name}`} type="target" position={Position.Left} id={p.name} style={{ top: 30 + i * PORT_GAP }} title={text(p.label)} className="port port-in" />
      ))}
      {data.outputs.map((p, i) => (
        <Handle
          key={`out-${p.name}`}
          type="source"
          position={Position.Right}
          id={p.name}
          style={{ top: 30 + i * PORT_GAP }}
          title={text(p.label)}
          className={`port port-out${p.name === 'error' ? ' port-error' : ''}`}
        >
          {data.outputs.length > 1 ? <span className="port-label">{p.name}</span> : null}
        </Handle>
      ))}
    </div>
  );
}
