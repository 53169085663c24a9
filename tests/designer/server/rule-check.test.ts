import { afterEach, describe, expect, it } from 'vitest';
import type { RunningStudio } from './helpers';
import { startStudio } from './helpers';

const running: RunningStudio[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe('POST /api/rules/check', () => {
  it('compiles rule code in the sandbox and gives errors with line and column in both languages', async () => {
    const s = await startStudio();
    running.push(s);
    const c = await s.user('zhangwei', 'contractor');
    expect(await c.api('POST', '/api/rules/check', { code: 'msg.payload = msg.payload * 2;\nreturn msg;' })).toMatchObject({ status: 200, body: { ok: true, problems: [] } });

    const bad = await c.api('POST', '/api/rules/check', { code: 'const a = 1;\nconst b = ;\nreturn msg;' });
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.problems).toHaveLength(1);
    expect(bad.body.problems[0]).toMatchObject({ line: 2, column: expect.any(Number), message: { zh: expect.stringContaining('无法编译'), en: expect.stringContaining('does not compile') } });

    // The code is compiled, never run: an endless loop is not a problem to check.
    expect((await c.api('POST', '/api/rules/check', { code: 'while (true) {}' })).body.ok).toBe(true);
  });

  it('refuses a body that is not code, and a caller without a session', async () => {
    const s = await startStudio();
    running.push(s);
    expect((await s.anonymous.api('POST', '/api/rules/check', { code: 'return msg;' })).status).toBe(401);
    const r = await s.admin.api('POST', '/api/rules/check', { code: 42 });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid-request');
  });
});
