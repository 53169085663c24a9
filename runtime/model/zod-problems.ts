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

/** Turns zod issues into problems under `base`, with zh and en messages. */
export function zodProblems(error: z.ZodError, base: JsonPath, code: string, extra: { nodeId?: string; edgeId?: string } = {}): Problem[] {
  return error.issues.map((issue) => {
    // A refinement gives its English text as the message and its Chinese text as params.zh.
    const message = issue.code === 'custom'
      ? { zh: typeof issue.params?.zh === 'string' ? issue.params.zh : issue.message, en: issue.message }
      : { zh: localize(zh, issue), en: localize(en, issue) };
    return problem(code, [...base, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message, extra);
  });
}
