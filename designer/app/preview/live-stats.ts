/**
 * The preview's node stats as the flow editor shows them on each node (`EditorState.live`, by
 * `flowId/nodeId`): badge state, messages in and out, errors, and a tooltip in the user's language.
 * Flow ids in a preview are the template's flow ids, which the authoring page uses in the editor.
 */
import type { NodeLive } from '../editor/editor-store';
import type { NodeStatsView } from './preview-types';

/** Formats the tooltip of one node (given the translated labels). */
export type LiveTitle = (s: NodeStatsView) => string;

export function liveMap(stats: Readonly<Record<string, NodeStatsView>>, title: LiveTitle): Record<string, NodeLive> {
  const out: Record<string, NodeLive> = {};
  for (const [key, s] of Object.entries(stats)) {
    out[key] = { state: s.state, in: s.in, out: s.out, errors: s.errors, title: title(s) };
  }
  return out;
}

/** Whether two live maps show the same (so the editor is not told of a change that is none). */
export function sameLive(a: Readonly<Record<string, NodeLive>> | undefined, b: Readonly<Record<string, NodeLive>> | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => {
    const x = a[k]!;
    const y = b[k];
    return y !== undefined && x.state === y.state && x.in === y.in && x.out === y.out && x.errors === y.errors && x.title === y.title;
  });
}
