#!/usr/bin/env node
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(cli)) {
  console.error('kaiwu: dist/cli.mjs is missing. Run "npm run build" (npm ci and npm test do it for you).');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
