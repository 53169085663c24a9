import { z } from 'zod';
import type { JsonPath, Problem } from './problem';
import { problem } from './problem';

const zh = z.locales.zhCN().localeError;
const en = z.locales.en().localeError;

type Issue = z.core.$ZodIssue;

function localize(fn: typeof zh, issue: Issue): string {
  // Issues that carry a custom message (refinements) keep it in both languages.
  const res = fn(issue as unknown as Parameters<typeof zh>[0]);
  if (typeof res === 'string') return res;
  if (res && typeof res === 'object' && 'message' in res && typeof res.message === 'string') return res.message;
  return issue.message;
}

/**
 * Turns zod issues into problems under `base`, with zh and en messages. Parse with
 * `{ reportInput: true }` so zod's own wording can name what was received in both languages.
 */
export function zodProblems(error: z.ZodError, base: JsonPath, code: string, extra: { nodeId?: string; edgeId?: string } = {}): Problem[] {
  return error.issues.map((issue) => {
    // A schema with its own message gives the English text as the message and the Chinese
    // text as params.zh; anything else gets zod's own wording in both languages.
    const stock = localize(en, issue);
    const params = 'params' in issue ? (issue.params as Record<string, unknown> | undefined) : undefined;
    const custom = issue.code === 'custom' || issue.message !== stock;
    const message = custom
      ? { zh: typeof params?.zh === 'string' ? params.zh : issue.message, en: issue.message }
      : { zh: localize(zh, issue), en: stock };
    return problem(code, [...base, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message, extra);
  });
}
