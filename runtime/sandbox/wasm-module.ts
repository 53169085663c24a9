import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';

// V8 runs QuickJS's WASM with its baseline compiler first and recompiles a function with its
// optimising compiler once the function has run "enough" (its tiering budget). With V8's default
// budget, building a few sandboxes at deploy is enough to optimise much of QuickJS, and that
// compiler's scratch memory stays behind in malloc's arenas (~8 MB resident for a 10-rule flow,
// of memory never used again). A larger budget optimises only what is really hot: a busy rule
// reaches it within moments (throughput is unchanged), an idle one never does. The flag is
// process-wide and read when a module is compiled; QuickJS is the only WASM we run.
const WASM_TIERING_BUDGET = 100_000_000;

/** QuickJS's WASM file, from the variant package the sandbox uses. */
export function quickjsWasmFile(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@jitl/quickjs-wasmfile-release-sync/package.json')), 'dist', 'emscripten-module.wasm');
}

/**
 * Compiles QuickJS's WASM (a few ms: V8 compiles each function lazily, at its first call). The
 * pool compiles it once and hands the module to every worker it starts, so its workers — and the
 * ones the watchdog rebuilds — share one copy of the compiled code.
 */
export function compileQuickjsModule(): WebAssembly.Module {
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
  return new WebAssembly.Module(readFileSync(quickjsWasmFile()));
}
