/**
 * The text report of a scenario test run, in Chinese or English: one line per test, and for a
 * test that failed each expectation with what was expected and what happened.
 */
import type { Lang } from '../model';
import { describeProblem } from '../model';
import { formatOffset } from './expectations';
import type { ScenarioRunReport, ScenarioTestResult } from './scenario-runner';

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
}

/** The lines for one test. */
export function formatTestResult(r: ScenarioTestResult, lang: Lang): string[] {
  const zh = lang === 'zh';
  const mark = r.passed ? '✓' : '✗';
  const head = zh
    ? `${mark} ${r.key} ${r.title.zh}（模拟 ${formatOffset(r.durationMs)}，用时 ${seconds(r.elapsedMs)} 秒）`
    : `${mark} ${r.key} ${r.title.en} (simulated ${formatOffset(r.durationMs)} in ${seconds(r.elapsedMs)} s)`;
  const lines = [head];
  for (const p of r.problems) lines.push(`    ${describeProblem(p, lang)}`);
  for (const e of r.expectations) {
    lines.push(`    ${e.passed ? '✓' : '✗'} ${e.title[lang]}`);
    if (!e.passed) {
      lines.push(zh ? `        期望：${e.expected.zh}` : `        expected: ${e.expected.en}`);
      lines.push(zh ? `        实际：${e.actual.zh}` : `        actual:   ${e.actual.en}`);
    }
  }
  return lines;
}

/** The whole report, ending with the count of passed and failed tests. */
export function formatScenarioReport(report: ScenarioRunReport, lang: Lang): string[] {
  const zh = lang === 'zh';
  const lines = [zh ? `模板 ${report.template}：${report.tests.length} 个场景测试` : `template ${report.template}: ${report.tests.length} scenario test(s)`];
  for (const t of report.tests) lines.push(...formatTestResult(t, lang));
  if (report.unknown.length > 0) lines.push(zh ? `✗ 没有这些测试：${report.unknown.join('、')}` : `✗ no such test(s): ${report.unknown.join(', ')}`);
  const failed = report.tests.filter((t) => !t.passed).length;
  const passed = report.tests.length - failed;
  lines.push(zh ? `结果：${passed} 个通过，${failed} 个失败` : `result: ${passed} passed, ${failed} failed`);
  return lines;
}
