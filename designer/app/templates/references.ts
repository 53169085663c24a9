import { findReferences } from '../../../runtime/model';
import type { FlowDoc } from '../editor/flow-doc';

/** How many `$param` and `$deviceGroup` references the flows make, by key. */
export function countReferences(flows: Readonly<Record<string, FlowDoc>>): { params: Record<string, number>; groups: Record<string, number> } {
  const params: Record<string, number> = {};
  const groups: Record<string, number> = {};
  for (const flow of Object.values(flows)) {
    for (const { ref } of findReferences(flow.nodes)) {
      const into = ref.kind === 'param' ? params : groups;
      into[ref.key] = (into[ref.key] ?? 0) + 1;
    }
  }
  return { params, groups };
}
