import { activeFlow } from './editor-store';
import type { FlowValidationView } from './flow-validation';
import { validationOf } from './flow-validation';
import { nodeTypes } from './node-types';
import { useEditor } from './use-editor';

const NONE: FlowValidationView = { problems: [], byNode: new Map(), byEdge: new Map(), flow: [] };

/** The active flow's problems, from the runtime's validateFlow, recomputed when the flow changes. */
export function useValidation(): FlowValidationView {
  const flow = useEditor(activeFlow);
  const context = useEditor((s) => s.context);
  return flow ? validationOf(flow, nodeTypes, context) : NONE;
}
