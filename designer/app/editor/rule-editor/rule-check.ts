import { api } from '../../api';
import type { Text } from '../../../../runtime/model';

export interface RuleProblem {
  readonly line: number;
  readonly column: number;
  readonly message: Text;
}

/** Compiles rule code in the studio's sandbox (POST /api/rules/check). */
export async function checkRule(code: string, outputs: readonly string[] | undefined, signal?: AbortSignal): Promise<readonly RuleProblem[]> {
  const body = { code, ...(outputs && outputs.length > 0 ? { outputs } : {}) };
  const answer = await api.post<{ ok: boolean; problems: RuleProblem[] }>('/api/rules/check', body, signal ? { signal } : {});
  return answer.problems;
}
