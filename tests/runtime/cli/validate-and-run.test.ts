import { describe, expect, it } from 'vitest';
import { runKaiwu } from '../../helpers/cli';

describe('kaiwu validate', () => {
  it('prints every problem with its path and exits 1 for an invalid flow', async () => {
    const r = await runKaiwu(['--lang', 'en', 'validate', 'tests/fixtures/flows/invalid-every-class.json']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain('tests/fixtures/flows/invalid-every-class.json: error nodes[1].type: unknown node type "swich"; did you mean "switch"? [unknown-node-type]');
    expect(lines.filter((l) => l.includes(' error '))).toHaveLength(8);
    expect(lines.at(-1)).toBe('tests/fixtures/flows/invalid-every-class.json: invalid, 8 error(s)');
  });

  it('answers in Chinese by default', async () => {
    const r = await runKaiwu(['validate', 'tests/fixtures/flows/invalid-every-class.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('错误 nodes[1].type: 未知的节点类型 “swich”，是否指 “switch”？');
  });

  it('exits 0 for a valid flow', async () => {
    const r = await runKaiwu(['--lang', 'en', 'validate', 'tests/fixtures/flows/valid-c2f.json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('tests/fixtures/flows/valid-c2f.json: valid (2 nodes, 1 edges)');
  });

  it('says where a JSON file is broken', async () => {
    const r = await runKaiwu(['--lang', 'en', 'validate', 'tests/fixtures/flows/not-json.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/not-json\.json: invalid JSON at line 4, column \d+/);
  });

  it('says when the file does not exist', async () => {
    const r = await runKaiwu(['validate', 'tests/fixtures/flows/nowhere.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('nowhere.json: file not found');
  });

  it('prints problems as JSON on request', async () => {
    const r = await runKaiwu(['validate', '--json', 'tests/fixtures/flows/newer-schema.json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, problems: [{ code: 'schema-version-newer', at: 'schemaVersion' }] });
  });
});

describe('kaiwu run', () => {
  it('runs a flow, prints debug output, and stops on Ctrl-C with its counters', async () => {
    const shown: string[] = [];
    const r = await runKaiwu(['--lang', 'en', 'run', 'tests/fixtures/flows/ticking.json', '--stats', '0'], {
      onLine: (line, kill) => {
        const m = / ticking\/show \[tick\] (\d+)$/.exec(line);
        if (!m) return;
        shown.push(m[1]!);
        if (shown.length === 5) kill();
      },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/flows running: 1 flow\(s\), 3 nodes, in \d+ ms/);
    expect(shown).toEqual(['1', '2', '3', '4', '5']);
    expect(r.stdout).toMatch(/ticking\/count +rule +stopped +(\d+) +\1 +0 +0/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('stopped');
  });

  it('refuses to run an invalid flow', async () => {
    const r = await runKaiwu(['--lang', 'en', 'run', 'tests/fixtures/flows/invalid-every-class.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('unknown node type "swich"');
  });

  it('reports rule compile errors with line and column before running', async () => {
    const r = await runKaiwu(['--lang', 'en', 'run', 'tests/fixtures/flows/rule-syntax-error.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/nodes\[0\]\.config\.code: the rule does not compile \(line 3, column \d+\)/);
  });

  it('exits 2 on a command it does not know', async () => {
    const r = await runKaiwu(['frobnicate']);
    expect(r.code).toBe(2);
  });
});
