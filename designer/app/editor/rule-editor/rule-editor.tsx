import { useEffect, useRef, useState } from 'react';
import type * as Monaco from 'monaco-editor';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { useLang } from '../../i18n/language';
import type { RuleProblem } from './rule-check';
import { checkRule } from './rule-check';
import { setupMonaco } from './monaco-setup';

export interface RuleEditorProps {
  /** Identifies the document (node and field): a new key is a new Monaco model. */
  readonly docKey: string;
  readonly code: string;
  readonly outputs: readonly string[] | undefined;
  onChange(code: string): void;
}

const CHECK_DELAY_MS = 400;

/**
 * Monaco on a rule's code: JavaScript completion with the rule's typings, and the sandbox's
 * own compile errors (POST /api/rules/check) as markers in place and a line under the editor.
 */
export default function RuleEditor({ docKey, code, outputs, onChange }: RuleEditorProps) {
  const { t } = useTranslation('editor');
  const { text } = useLang();
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Monaco.editor.IStandaloneCodeEditor | undefined>(undefined);
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const [problems, setProblems] = useState<readonly RuleProblem[] | undefined>();
  const [checkError, setCheckError] = useState<string | undefined>();

  useEffect(() => {
    const monaco = setupMonaco();
    const model = monaco.editor.createModel(code, 'javascript', monaco.Uri.parse(`file:///rules/${encodeURIComponent(docKey)}.js`));
    const ed = monaco.editor.create(host.current!, {
      model, automaticLayout: true, minimap: { enabled: false }, fontSize: 13, tabSize: 2, scrollBeyondLastLine: false,
      fixedOverflowWidgets: true, renderValidationDecorations: 'on',
    });
    editor.current = ed;
    const sub = model.onDidChangeContent(() => changeRef.current(model.getValue()));
    ed.focus();
    return () => {
      sub.dispose();
      ed.dispose();
      model.dispose();
      editor.current = undefined;
    };
  }, [docKey]);

  // An outside change (undo in the canvas) reaches the editor.
  useEffect(() => {
    const model = editor.current?.getModel();
    if (model && model.getValue() !== code) model.setValue(code);
  }, [code]);

  useEffect(() => {
    const ctl = new AbortController();
    setProblems(undefined);
    const timer = setTimeout(() => {
      checkRule(code, outputs, ctl.signal).then(
        (found) => {
          setCheckError(undefined);
          setProblems(found);
          const model = editor.current?.getModel();
          if (!model) return;
          const monaco = setupMonaco();
          monaco.editor.setModelMarkers(model, 'kaiwu-sandbox', found.map((p) => {
            const line = Math.min(Math.max(1, p.line), model.getLineCount());
            return {
              severity: monaco.MarkerSeverity.Error, message: text(p.message), source: 'QuickJS',
              startLineNumber: line, startColumn: Math.max(1, p.column), endLineNumber: line, endColumn: model.getLineMaxColumn(line),
            };
          }));
        },
        (err: unknown) => {
          if ((err as Error).name === 'AbortError') return;
          setCheckError(err instanceof ApiError ? text(err.text) : String(err));
        },
      );
    }, CHECK_DELAY_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
    // Texts follow the language; the check follows the code.
  }, [code, outputs?.join(',')]);

  return (
    <div className="rule-editor">
      <div className="monaco-host" ref={host} />
      <p className={`rule-status${problems && problems.length > 0 ? ' error' : ''}`} role="status" data-state={problems === undefined ? 'checking' : problems.length > 0 ? 'error' : 'ok'}>
        {checkError ?? (problems === undefined ? t('rule.checking') : problems.length === 0 ? `✓ ${t('rule.ok')}` : problems.map((p) => text(p.message)).join('；'))}
      </p>
    </div>
  );
}
