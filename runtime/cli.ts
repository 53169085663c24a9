import { Command, CommanderError } from 'commander';
import { fileURLToPath } from 'node:url';
import { pickLang } from './cli/lang';
import { InputFileError } from './cli/read-json';
import { runCommand } from './cli/run-command';
import { validateCommand } from './cli/validate-command';

const VERSION = '0.1.0';

/** The `kaiwu` command. Returns the process exit code. */
export async function main(argv: string[], out: (line: string) => void = (l) => console.log(l)): Promise<number> {
  let code = 0;
  const program = new Command()
    .name('kaiwu')
    .description('开物 Kaiwu — low-code scenarios for factory retrofits: validate and run flows')
    .version(VERSION)
    .option('--lang <lang>', 'output language: zh (default) or en')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => out(s.trimEnd()) });

  program.command('validate')
    .description('check a flow file and print every problem (exit 1 when invalid)')
    .argument('<flow.json>')
    .option('--json', 'print problems as JSON')
    .action((file: string, opts: { json?: boolean }) => {
      code = validateCommand(file, { lang: pickLang(program.opts().lang), json: opts.json === true }, out);
    });

  const runOptions = (cmd: Command) => cmd
    .option('--quiet', 'do not print live messages')
    .option('--stats <seconds>', 'print node counters every N seconds (0: off)', '10')
    .option('--log-level <level>', 'log level on stderr', 'warn')
    .option('--for <seconds>', 'stop by itself after N seconds', '0');
  type RunFlags = { quiet?: boolean; stats: string; logLevel: string; for: string };
  const toRunOptions = (opts: RunFlags) => ({
    lang: pickLang(program.opts().lang),
    quiet: opts.quiet === true,
    statsEverySec: Number(opts.stats),
    logLevel: opts.logLevel,
    forSec: Number(opts.for),
  });

  runOptions(program.command('run')
    .description('run flows in the foreground until Ctrl-C, printing debug output')
    .argument('<flow.json...>'))
    .action(async (files: string[], opts: RunFlags) => {
      code = await runCommand(files, toRunOptions(opts), out);
    });

  runOptions(program.command('demo')
    .description('the demo behind "npm start": the quickstart example flow with a live console'))
    .action(async (opts: RunFlags) => {
      const lang = pickLang(program.opts().lang);
      const flow = fileURLToPath(new URL('../examples/quickstart/flow.json', import.meta.url));
      out(lang === 'zh'
        ? '开物 Kaiwu 演示：三台模拟注塑机的料筒温度 → 规则 → 超温报警 / 1 分钟统计。Ctrl-C 停止。'
        : 'Kaiwu demo: barrel temperatures of three simulated moulding machines → rule → over-temperature alarm / 1-minute statistics. Ctrl-C stops.');
      code = await runCommand([flow], { ...toRunOptions(opts), statsEverySec: opts.stats === '10' ? 15 : Number(opts.stats) }, out);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof InputFileError) {
      out(`kaiwu: ${err.message}`);
      return 1;
    }
    throw err;
  }
  return code;
}
