import { setFlagsFromString } from 'node:v8';

/**
 * While a long-running command (`run`, `quickstart`, `runtime`, `demo`) loads and deploys,
 * bin/kaiwu.mjs holds V8's young generation at its initial size (`--semi-space-growth-factor=1`,
 * 1 MB semi-spaces). Startup allocates mostly objects that live on, which would otherwise grow
 * the semi-spaces to 8–16 MB each — memory that then stays resident for as long as the process
 * idles. Called once the command runs: from then on V8 grows the young generation with the load
 * as usual (a busy flow gets the large semi-spaces it is fast with; an idle one stays small).
 */
export function startupDone(): void {
  // The growth factor set on the command line, if any, is the user's.
  if (process.execArgv.some((a) => a.startsWith('--semi-space-growth-factor') || a.startsWith('--semi_space_growth_factor'))) return;
  setFlagsFromString('--semi-space-growth-factor=2');
}
