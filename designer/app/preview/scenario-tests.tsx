import { useState } from 'react';
import type { Text } from '../../../runtime/model';
import { ApiError } from '../api';
import { useMessages } from '../i18n/i18n';
import { useLang } from '../i18n/language';
import { durationParts, formatTime } from './format';
import { previewMessages } from './messages';
import type { ExpectationResult, TestReport, TestResult } from './preview-types';
import './preview.css';

function ExpectationRow({ e }: { e: ExpectationResult }) {
  const { t } = useMessages('preview', previewMessages);
  const { text } = useLang();
  return (
    <li className={`expectation ${e.passed ? 'passed' : 'failed'}`} data-index={e.index}>
      <span className="mark" aria-label={e.passed ? t('tests.passed') : t('tests.failed')}>{e.passed ? '✓' : '✗'}</span>
      <div className="expectation-body">
        <div><span className="exp-kind">{t(`tests.kinds.${e.kind}`, { defaultValue: e.kind })}</span> {text(e.title)}</div>
        <dl className="exp-values">
          <dt>{t('tests.expected')}</dt><dd className="expected">{text(e.expected)}</dd>
          <dt>{t('tests.actual')}</dt><dd className="actual">{text(e.actual)}</dd>
        </dl>
      </div>
    </li>
  );
}

function TestCard({ test, result, running, onRun }: { test: { key: string; title: Text }; result: TestResult | undefined; running: boolean; onRun: () => void }) {
  const { t } = useMessages('preview', previewMessages);
  const { text, lang } = useLang();
  const [open, setOpen] = useState(false);
  const state = result ? (result.passed ? 'passed' : 'failed') : 'not-run';
  const failedFirst = result ? [...result.expectations].sort((a, b) => Number(a.passed) - Number(b.passed)) : [];
  const d = result ? durationParts(result.durationMs) : undefined;
  return (
    <li className={`test-card test-${state}`} data-test={test.key}>
      <div className="test-head">
        <span className={`test-state state-${state}`}>{result ? (result.passed ? `✓ ${t('tests.passed')}` : `✗ ${t('tests.failed')}`) : t('tests.notRun')}</span>
        <strong>{text(result?.title ?? test.title)}</strong>
        <code className="muted small">{test.key}</code>
        <span className="spacer" />
        {result && d ? <span className="muted small">{t('tests.simulated', { duration: t(`duration.${d.key}`, d), seconds: (result.elapsedMs / 1000).toFixed(1) })}</span> : null}
        <button type="button" onClick={onRun} disabled={running}>{t('tests.run')}</button>
        {result ? <button type="button" className="link" aria-expanded={open || !result.passed} onClick={() => setOpen(!open)}>{open || !result.passed ? '▴' : '▾'}</button> : null}
      </div>
      {result && (open || !result.passed) ? (
        <div className="test-detail">
          {result.problems.length > 0 ? (
            <div className="field-error">
              <strong>{t('tests.problems')}</strong>
              {result.problems.map((p, i) => <p key={i}>{p.at}: {text(p.message)}</p>)}
            </div>
          ) : null}
          <ol className="expectations">{failedFirst.map((e) => <ExpectationRow key={e.index} e={e} />)}</ol>
          {result.nodeErrorsTotal > 0 ? (
            <details>
              <summary>{t('tests.nodeErrors', { count: result.nodeErrorsTotal })}</summary>
              <ul className="small">{result.nodeErrors.map((n, i) => <li key={i}>{formatTime(n.at, lang)} {n.flowId}/{n.nodeId}: {n.error}</li>)}</ul>
            </details>
          ) : null}
          {result.alarmsTotal > 0 ? <p className="muted small">{t('tests.alarms', { count: result.alarmsTotal })}</p> : null}
        </div>
      ) : null}
    </li>
  );
}

/**
 * The template's scenario tests: run all or one, and each test and each expectation passed or
 * failed, with what was expected and what happened (in the user's language).
 */
export function ScenarioTests({ tests, run, source }: {
  tests: readonly { key: string; title: Text }[];
  run: (only?: readonly string[]) => Promise<TestReport>;
  /** What a run runs: the saved version `ref`, or (unsaved) the document being edited. */
  source: { readonly ref: string; readonly unsaved: boolean };
}) {
  const { t } = useMessages('preview', previewMessages);
  const { text } = useLang();
  const [results, setResults] = useState<Readonly<Record<string, TestResult>>>({});
  const [summary, setSummary] = useState<{ passed: number; failed: number; elapsedMs: number } | undefined>();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const go = async (only?: readonly string[]) => {
    setRunning(true);
    setError(undefined);
    try {
      const report = await run(only);
      setResults((r) => ({ ...(only ? r : {}), ...Object.fromEntries(report.tests.map((x) => [x.key, x])) }));
      setSummary({ passed: report.tests.filter((x) => x.passed).length, failed: report.tests.filter((x) => !x.passed).length, elapsedMs: report.elapsedMs });
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', { zh: String(err), en: String(err) }));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="scenario-tests" aria-label={t('tests.title')} aria-busy={running}>
      <header className="section-head">
        <div>
          <h2>{t('tests.title')}</h2>
          <p className="muted small">{t('tests.intro')}</p>
          <p className={`tests-source small${source.unsaved ? ' unsaved' : ''}`}>{source.unsaved ? t('tests.unsaved') : t('tests.saved', { ref: source.ref })}</p>
        </div>
        <button type="button" className="primary run-tests" disabled={running || tests.length === 0} onClick={() => void go()}>▶ {t('tests.runAll')}</button>
      </header>
      {running ? <p className="notice" role="status">{t('tests.running')}</p> : null}
      {summary && !running ? (
        <p className={`tests-summary ${summary.failed === 0 ? 'all-passed' : 'some-failed'}`} role="status">
          {t('tests.summary', { passed: summary.passed, failed: summary.failed, seconds: (summary.elapsedMs / 1000).toFixed(1) })}
        </p>
      ) : null}
      {error ? (
        <div className="field-error" role="alert">
          <p>{text(error.text)}</p>
          {error.details.map((d, i) => <p key={i} className="small">{d.at}: {text(d.message)}</p>)}
        </div>
      ) : null}
      {tests.length === 0 ? <p className="muted">{t('tests.none')}</p> : (
        <ul className="test-list">
          {tests.map((x) => <TestCard key={x.key} test={x} result={results[x.key]} running={running} onRun={() => void go([x.key])} />)}
        </ul>
      )}
    </section>
  );
}
