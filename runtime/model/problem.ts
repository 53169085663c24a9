import type { Text } from './text';

export type JsonPath = readonly (string | number)[];

/** One thing wrong with an input, with where it is and why, in both languages. */
export interface Problem {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly path: JsonPath;
  /** `path` written the way a person reads it: `nodes[3].config.high`. */
  readonly at: string;
  readonly message: Text;
  readonly nodeId?: string;
  readonly edgeId?: string;
}

export function formatPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? '(root)' : out;
}

export function problem(
  code: string,
  path: JsonPath,
  message: Text,
  extra: { severity?: 'error' | 'warning'; nodeId?: string; edgeId?: string } = {},
): Problem {
  const out: Problem = { severity: extra.severity ?? 'error', code, path, at: formatPath(path), message };
  if (extra.nodeId !== undefined) Object.assign(out, { nodeId: extra.nodeId });
  if (extra.edgeId !== undefined) Object.assign(out, { edgeId: extra.edgeId });
  return out;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** One line a problem, for logs and the CLI. */
export function describeProblem(p: Problem, lang: keyof Text = 'zh'): string {
  const tag = p.severity === 'error' ? (lang === 'zh' ? '错误' : 'error') : (lang === 'zh' ? '警告' : 'warning');
  return `${tag} ${p.at}: ${p.message[lang]} [${p.code}]`;
}
