import { z } from 'zod';
import { NodeConfigError } from '../../nodes/sdk';
import type { Text } from '../../runtime/model';
import type { SandboxPool } from '../../runtime/sandbox/pool';
import { createSandboxPool } from '../../runtime/sandbox/pool';
import { ROLES } from './roles';
import type { StudioRoute } from './route-table';
import { guarded } from './route-table';

/** A compile error of rule code, where the editor shows it (1-based line and column). */
export interface RuleProblem {
  readonly line: number;
  readonly column: number;
  readonly message: Text;
}

export type RuleCheck = { readonly ok: true; readonly problems: readonly [] } | { readonly ok: false; readonly problems: readonly RuleProblem[] };

export interface RuleChecker {
  check(code: string, outputs?: readonly string[]): Promise<RuleCheck>;
  close(): Promise<void>;
}

const LIMITS = { deadlineMs: 50, hardLimitMs: 1000, memoryMb: 32 };

/**
 * Compiles rule code in the same QuickJS sandbox the runtime uses (one worker, started on the
 * first check) and reports what does not compile. The code is only compiled, never run.
 */
export function createRuleChecker(): RuleChecker {
  let pool: SandboxPool | undefined;
  return {
    async check(code, outputs = ['out']) {
      pool ??= createSandboxPool({ workers: 1 });
      try {
        const sandbox = await pool.compile({ code, outputs, limits: LIMITS, label: 'rule-check' });
        sandbox.dispose();
        return { ok: true, problems: [] };
      } catch (err) {
        if (!(err instanceof NodeConfigError)) throw err;
        const { line, column } = err as NodeConfigError & { line?: number; column?: number };
        return { ok: false, problems: [{ line: line ?? 1, column: column ?? 1, message: err.text }] };
      }
    },
    async close() {
      await pool?.close();
      pool = undefined;
    },
  };
}

/** POST /api/rules/check { code, outputs? } → { ok, problems: [{ line, column, message }] }. */
export function ruleCheckRoutes(s: { readonly ruleChecker: RuleChecker }): StudioRoute[] {
  return [
    guarded('post', '/api/rules/check', ROLES, {
      summary: { zh: '在沙箱中编译规则代码（不运行），返回错误的行与列', en: 'compile rule code in the sandbox (without running it); errors with line and column' },
      body: z.object({
        code: z.string().max(200_000),
        outputs: z.array(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/)).min(1).max(16).optional(),
      }),
    }, async ({ body }) => ({ body: await s.ruleChecker.check(body.code, body.outputs) })),
  ];
}
