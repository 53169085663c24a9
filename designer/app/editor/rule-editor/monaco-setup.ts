// Monaco, bundled by Vite into its own chunks (never a CDN): loaded only when a rule is opened.
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import TsWorker from 'monaco-editor/language/typescript/ts.worker.js?worker';
import { RULE_TYPINGS } from './rule-typings';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

let ready = false;

/** Workers from our origin, and JavaScript that knows `msg`, `state` and `log`. */
export function setupMonaco(): typeof monaco {
  if (ready) return monaco;
  ready = true;
  window.MonacoEnvironment = {
    getWorker: (_id, label) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
  };
  const js = monaco.typescript.javascriptDefaults;
  js.setCompilerOptions({ target: monaco.typescript.ScriptTarget.ES2020, allowNonTsExtensions: true, checkJs: true, noLib: false, lib: ['es2020'] });
  // The code is a function body: a top-level return (1108) is how a rule answers.
  js.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, diagnosticCodesToIgnore: [1108, 2580, 7044, 80001, 80004] });
  js.addExtraLib(RULE_TYPINGS, 'ts:kaiwu/rule.d.ts');
  return monaco;
}
