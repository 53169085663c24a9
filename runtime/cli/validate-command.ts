import { createNodeRegistry } from '../../nodes/registry';
import type { Lang } from '../model';
import { describeProblem, validateFlow } from '../model';
import { readJsonFile } from './read-json';

/** Prints every problem of a flow file; 0 when valid, 1 when not. */
export function validateCommand(file: string, options: { lang: Lang; json: boolean }, out: (line: string) => void): number {
  const raw = readJsonFile(file);
  const result = validateFlow(raw, createNodeRegistry());
  if (options.json) {
    out(JSON.stringify({ file, ok: result.ok, problems: result.problems }, null, 2));
    return result.ok ? 0 : 1;
  }
  for (const p of result.problems) out(`${file}: ${describeProblem(p, options.lang)}`);
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  if (result.ok) {
    out(options.lang === 'zh' ? `${file}: 有效（${result.flow.nodes.length} 个节点，${result.flow.edges.length} 条连线）` : `${file}: valid (${result.flow.nodes.length} nodes, ${result.flow.edges.length} edges)`);
    return 0;
  }
  out(options.lang === 'zh' ? `${file}: 无效，${errors} 个错误` : `${file}: invalid, ${errors} error(s)`);
  return 1;
}
