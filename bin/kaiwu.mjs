#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

const cli = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(cli)) {
  console.error('kaiwu: dist/cli.mjs is missing. Run "npm run build" (npm ci and npm test do it for you).');
  process.exit(2);
}
// Long-running commands hold V8's young generation at its initial size while they load and
// deploy, and let it grow with the load once running (runtime/cli/startup-heap.ts says why).
const argv = process.argv.slice(2);
const command = argv.find((a, i) => !a.startsWith('-') && argv[i - 1] !== '--lang');
const ownYoungGen = process.execArgv.some((a) => /^--(semi[-_]space[-_]growth[-_]factor|max[-_]semi[-_]space[-_]size)/.test(a));
if (['run', 'quickstart', 'runtime', 'demo'].includes(command) && !ownYoungGen) setFlagsFromString('--semi-space-growth-factor=1');
const { main } = await import(cli.href);
process.exitCode = await main(argv);
