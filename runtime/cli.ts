import { Command, CommanderError } from 'commander';
import { fileURLToPath } from 'node:url';
import { KeyFileError } from './bundle/keys';
import { pickLang } from './cli/lang';
import { InputFileError } from './cli/read-json';
import type { Remote } from './cli/remote';
import { RemoteError } from './cli/remote';
import type { ViewerAction } from './cli/viewer-command';
import { RuntimeLockedError } from './site/data-dir';
import { VERSION } from './version';

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
    .action(async (file: string, opts: { json?: boolean }) => {
      code = (await import('./cli/validate-command')).validateCommand(file, { lang: pickLang(program.opts().lang), json: opts.json === true }, out);
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
      code = await (await import('./cli/run-command')).runCommand(files, toRunOptions(opts), out);
    });

  program.command('demo')
    .description('the demo behind "npm start": a studio, a sample firm\'s simulated machines and a paired site runtime the studio deploys to')
    .option('--example <name>', 'the sample firm under examples/', 'weaving-sample')
    .option('--studio-port <port>', 'the studio\'s port (0: a free one)', '8430')
    .option('--site-port <port>', 'the site runtime\'s port (0: a free one)', '8420')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data <dir>', 'keep the data here (default: a temporary folder, removed at the end)')
    .option('--for <seconds>', 'stop by itself after N seconds', '0')
    .option('--log-level <level>', 'log level on stderr', 'warn')
    .action(async (opts: { example: string; studioPort: string; sitePort: string; host: string; data?: string; for: string; logLevel: string }) => {
      code = await (await import('./cli/demo-command')).demoCommand({
        lang: pickLang(program.opts().lang), example: opts.example, studioPort: Number(opts.studioPort), sitePort: Number(opts.sitePort), host: opts.host,
        forSec: Number(opts.for), logLevel: opts.logLevel, ...(opts.data ? { data: opts.data } : {}),
      }, out);
    });

  runOptions(program.command('quickstart')
    .description('one example flow with a live console: simulated moulding machines, a rule, alarms, statistics'))
    .action(async (opts: RunFlags) => {
      const lang = pickLang(program.opts().lang);
      const flow = fileURLToPath(new URL('../examples/quickstart/flow.json', import.meta.url));
      out(lang === 'zh'
        ? '开物 Kaiwu 演示：三台模拟注塑机的料筒温度 → 规则 → 超温报警 / 1 分钟统计。Ctrl-C 停止。'
        : 'Kaiwu demo: barrel temperatures of three simulated moulding machines → rule → over-temperature alarm / 1-minute statistics. Ctrl-C stops.');
      code = await (await import('./cli/run-command')).runCommand([flow], { ...toRunOptions(opts), statsEverySec: opts.stats === '10' ? 15 : Number(opts.stats) }, out);
    });

  const lang = () => pickLang(program.opts().lang);
  const remote = (opts: { to: string; token?: string }): Remote => ({ url: opts.to, token: opts.token ?? process.env.KAIWU_ADMIN_TOKEN });

  program.command('runtime')
    .description('run the site runtime: resumes its deployment and serves the admin API')
    .requiredOption('--data <dir>', 'data folder (database, deployments, keys, admin token)')
    .option('--port <port>', 'port (0 picks a free one)', '8420')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--site <site>', 'the site id, when none is pinned yet')
    .option('--probation <seconds>', 'a fault this soon after a deploy reverts it', '10')
    .option('--heartbeat <seconds>', 'seconds between heartbeats to the paired studio (default: what the studio asks, 30)')
    .option('--log-level <level>', 'log level on stderr', 'info')
    .action(async (opts: { data: string; port: string; host: string; site?: string; probation: string; heartbeat?: string; logLevel: string }) => {
      const heartbeatSec = opts.heartbeat === undefined ? undefined : Number(opts.heartbeat);
      if (heartbeatSec !== undefined && !(heartbeatSec >= 1 && heartbeatSec <= 3600)) {
        out(lang() === 'zh' ? `--heartbeat 应为 1～3600 秒，得到 “${opts.heartbeat}”` : `--heartbeat must be 1 to 3600 seconds, got "${opts.heartbeat}"`);
        code = 2;
        return;
      }
      code = await (await import('./cli/runtime-command')).runtimeCommand({
        data: opts.data, port: Number(opts.port), host: opts.host, probationSec: Number(opts.probation), logLevel: opts.logLevel, lang: lang(),
        ...(opts.site ? { site: opts.site } : {}), ...(heartbeatSec ? { heartbeatSec } : {}),
      }, out);
    });

  program.command('studio')
    .description('run the studio server: template library, instances, sites, signed deploys, fleet')
    .requiredOption('--data <dir>', 'studio data folder (studio.db, signing key, admin password)')
    .option('--port <port>', 'port (0 picks a free one)', '8430')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--templates <dir>', 'template folders to import at start (default: the shipped templates/)')
    .option('--log-level <level>', 'log level on stderr', 'info')
    .action(async (opts: { data: string; port: string; host: string; templates?: string; logLevel: string }) => {
      code = await (await import('../designer/server/studio-command')).studioCommand({
        data: opts.data, port: Number(opts.port), host: opts.host, lang: lang(), logLevel: opts.logLevel,
        ...(opts.templates ? { templates: opts.templates } : {}),
      }, out);
    });

  const viewer = program.command('viewer').description("the site dashboard's viewer accounts and open kiosk");
  const viewerRun = async (action: ViewerAction, data: string) => {
    code = await (await import('./cli/viewer-command')).viewerCommand(action, { data, lang: lang() }, out);
  };
  viewer.command('add').description('add a dashboard viewer (read-only unless --can-ack); prints a generated password once').argument('<name>')
    .requiredOption('--data <dir>', "the runtime's data folder").option('--can-ack', 'may acknowledge alarms')
    .option('--password-stdin', 'read the password from stdin').option('--replace', 'replace an existing account')
    .action((name: string, o: { data: string; canAck?: boolean; passwordStdin?: boolean; replace?: boolean }) => viewerRun({ action: 'add', name, canAck: o.canAck === true, passwordStdin: o.passwordStdin === true, replace: o.replace === true }, o.data));
  viewer.command('remove').description('remove a viewer; their sessions end at once').argument('<name>').requiredOption('--data <dir>', "the runtime's data folder")
    .action((name: string, o: { data: string }) => viewerRun({ action: 'remove', name }, o.data));
  viewer.command('list').description('list viewers and the open-kiosk setting').requiredOption('--data <dir>', "the runtime's data folder").option('--json')
    .action((o: { data: string; json?: boolean }) => viewerRun({ action: 'list', json: o.json === true }, o.data));
  viewer.command('kiosk').description('open kiosk on|off: read-only dashboard without a login').argument('<on|off>').requiredOption('--data <dir>', "the runtime's data folder")
    .option('--allow <addresses>', 'only these client addresses, comma-separated')
    .action(async (state: string, o: { data: string; allow?: string }) => {
      if (state !== 'on' && state !== 'off') {
        out(lang() === 'zh' ? 'kaiwu: 请写 on 或 off' : 'kaiwu: say on or off');
        code = 2;
        return;
      }
      await viewerRun({ action: 'kiosk', open: state === 'on', allow: (o.allow ?? '').split(',').map((a) => a.trim()).filter(Boolean) }, o.data);
    });

  program.command('simulate')
    .description('serve simulated Modbus devices of a profile or an example (Ctrl-C stops)')
    .argument('<profile-or-example>', 'profile id, profile JSON file, simulator.json, or a folder holding one')
    .option('--port-base <port>', 'first TCP port; device i on port-base + i (default 15020; 0: free ports)')
    .option('--count <n>', 'devices per profile')
    .option('--seed <n>', 'same seed, same machines (default 1)')
    .option('--host <host>', 'listen address (default 127.0.0.1)')
    .option('--rtu', 'raw RTU frames over TCP instead of Modbus TCP')
    .option('--gateway', 'all devices behind one port as units 1…N')
    .option('--speed <x>', 'simulated seconds per real second (default 1)')
    .option('--strict', 'registers outside the profile answer "illegal data address"')
    .option('--for <seconds>', 'stop after N seconds (default 0: until Ctrl-C)')
    .action(async (target: string, opts: Record<string, unknown>) => {
      const { simulateCommand } = await import('./cli/simulate-command');
      code = await simulateCommand({ lang: lang(), target, ...opts } as Parameters<typeof simulateCommand>[0], out);
    });

  program.command('probe')
    .description('commissioning: read registers and show every interpretation; with --profile, verify every tag of a device')
    .option('--host <host>').option('--port <port>').option('--rtu-over-tcp')
    .option('--serial <path>').option('--baud <rate>').option('--parity <none|even|odd>').option('--data-bits <7|8>').option('--stop-bits <1|2>')
    .option('--unit <id>', 'unit id (default 1)')
    .option('--address <a>', 'protocol address, 0-based, decimal or 0x hex')
    .option('--count <n>', 'registers (default 2)')
    .option('--area <holding|input|coil|discrete>')
    .option('--expect <value>', "e.g. 'voltage≈220', '≈50±1', '200..240'")
    .option('--profile <id|file>', 'verify mode: read every tag of this profile')
    .option('--name <name>', 'verify mode: device name in the report')
    .option('--timeout <ms>').option('--json')
    .action(async (opts: Record<string, unknown>) => {
      const { probeCommand } = await import('./cli/probe-command');
      code = await probeCommand({ lang: lang(), ...opts } as Parameters<typeof probeCommand>[0], out);
    });

  program.command('test-template')
    .description("run a template's scenario tests on simulated devices, faster than real time (exit 1 on any failure)")
    .argument('<dir>', 'template folder (template.json and versions/)')
    .option('--only <keys>', 'test keys, comma-separated')
    .option('--profiles <dir...>', 'device profile folders (default: the shipped ones)')
    .action(async (dir: string, opts: { only?: string; profiles?: string[] }) => {
      code = await (await import('./cli/test-template-command')).testTemplateCommand(dir, { lang: lang(), ...(opts.only ? { only: opts.only } : {}), ...(opts.profiles ? { profiles: opts.profiles } : {}) }, out);
    });

  program.command('pair')
    .description('pair this runtime with a studio by the one-time code made there; heartbeats follow')
    .argument('<code>', 'the pairing code, e.g. ABCD-EFGH')
    .requiredOption('--studio <url>', 'the studio, e.g. http://192.168.1.10:8430')
    .requiredOption('--data <dir>', "the runtime's data folder")
    .option('--url <url>', 'how the studio reaches this runtime (default http://<LAN address>:8420)')
    .action(async (pairingCode: string, opts: { studio: string; data: string; url?: string }) => {
      code = await (await import('./cli/pair-command')).pairCommand(pairingCode, { data: opts.data, studio: opts.studio, lang: lang(), ...(opts.url ? { url: opts.url } : {}) }, out);
    });

  program.command('secret')
    .description('set or remove a site secret (an uplink password or token) that bundles name')
    .argument('<action>', 'set or remove')
    .argument('<name>')
    .requiredOption('--data <dir>', "the runtime's data folder")
    .option('--value <value>', 'the value (default: read from stdin)')
    .action(async (action: string, name: string, opts: { data: string; value?: string }) => {
      if (action !== 'set' && action !== 'remove') {
        out(lang() === 'zh' ? 'action 应为 set 或 remove' : 'action must be set or remove');
        code = 2;
        return;
      }
      code = await (await import('./cli/secret-command')).secretCommand(action, name, { data: opts.data, lang: lang(), ...(opts.value !== undefined ? { value: opts.value } : {}) }, out);
    });

  program.command('keygen')
    .description('make an Ed25519 signing key pair: <out>.key (private) and <out>.pub')
    .requiredOption('--out <path>', 'path without extension, e.g. keys/studio')
    .option('--force', 'overwrite existing files')
    .action(async (opts: { out: string; force?: boolean }) => {
      code = (await import('./cli/keygen-command')).keygenCommand(opts.out, { lang: lang(), force: opts.force === true }, out);
    });

  program.command('trust')
    .description("trust a studio's public key on a site (bundles signed with it are accepted)")
    .argument('<pubkey>')
    .requiredOption('--data <dir>', "the runtime's data folder")
    .action(async (file: string, opts: { data: string }) => {
      code = (await import('./cli/trust-command')).trustCommand(file, { data: opts.data, lang: lang() }, out);
    });

  program.command('bundle')
    .description('make a signed bundle from a flow file, a folder of flow files, or an instance of a template')
    .argument('<flow.json|dir|instance.json>')
    .requiredOption('--site <site>', 'the site the bundle is for')
    .requiredOption('--sequence <n>', 'monotonic per site')
    .requiredOption('--key <file>', 'the private key (from keygen)')
    .requiredOption('--out <file>', 'the bundle file to write')
    .option('--id <id>', 'bundle id (default <site>-<sequence>)')
    .option('--templates <dir>', 'template folders (default: the shipped ones)')
    .option('--profiles <dir...>', 'device profile folders (default: the shipped ones)')
    .option('--uplink <policy.json>', 'for flows: what may leave the site, and to which endpoint (default: nothing)')
    .action(async (input: string, opts: { site: string; sequence: string; key: string; out: string; id?: string; templates?: string; profiles?: string[]; uplink?: string }) => {
      code = (await import('./cli/bundle-command')).bundleCommand(input, {
        site: opts.site, sequence: Number(opts.sequence), key: opts.key, out: opts.out, lang: lang(),
        ...(opts.id ? { id: opts.id } : {}), ...(opts.templates ? { templates: opts.templates } : {}), ...(opts.profiles ? { profiles: opts.profiles } : {}),
        ...(opts.uplink ? { uplink: opts.uplink } : {}),
      }, out);
    });

  program.command('copy-sample')
    .description("make a new enterprise's instance from a sample firm: its devices from a CSV, its own parameter values")
    .argument('<firm>', 'a sample firm under examples/ (weaving-sample, imm-sample, valve-sample), a folder or an instance file')
    .requiredOption('--enterprise <name>', "the enterprise's name")
    .requiredOption('--site <site>', 'the site the copy runs on (letters, digits, "-")')
    .option('--devices <devices.csv>', 'device list: name,host,port,unitId (or serial,… for RTU; a group column for several groups)')
    .option('--device-group <group>', 'the device group of a CSV without a group column')
    .option('--set <key=value>', 'a parameter value (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--scenarios <x1,x2>', 'the X scenarios to run (default: the sample firm\'s choice; "" for none)')
    .option('--out <file>', 'the instance file to write', 'instance.json')
    .option('--force', 'replace --out if it exists')
    .option('--templates <dir>', 'template folders (default: the shipped ones)')
    .option('--profiles <dir...>', 'device profile folders (default: the shipped ones)')
    .action(async (firm: string, opts: { enterprise: string; site: string; devices?: string; deviceGroup?: string; set: string[]; scenarios?: string; out: string; force?: boolean; templates?: string; profiles?: string[] }) => {
      code = (await import('./cli/copy-sample-command')).copySampleCommand(firm, { ...opts, lang: lang() }, out);
    });

  program.command('upgrade')
    .description('plan the upgrade of an instance to a newer template version (three-way merge); --out writes it')
    .argument('<instance.json>')
    .requiredOption('--to <template@version>', 'the version to upgrade to')
    .option('--choose <choices>', 'a choice per conflict: c1=site,c2=template')
    .option('--out <file>', 'write the upgraded instance (every conflict needs a choice)')
    .option('--templates <dir>', 'template folders (default: the shipped ones)')
    .option('--profiles <dir...>', 'device profile folders (default: the shipped ones)')
    .action(async (file: string, opts: { to: string; choose?: string; out?: string; templates?: string; profiles?: string[] }) => {
      code = (await import('./cli/upgrade-command')).upgradeCommand(file, { lang: lang(), ...opts }, out);
    });

  program.command('verify')
    .description("check a bundle's signature against a public key")
    .argument('<bundle>')
    .requiredOption('--key <pubkey>', 'the public key')
    .action(async (file: string, opts: { key: string }) => {
      code = (await import('./cli/verify-command')).verifyCommand(file, { key: opts.key, lang: lang() }, out);
    });

  program.command('deploy')
    .description('deploy a signed bundle to a running runtime (--to URL) or into a stopped one (--data DIR)')
    .argument('<bundle>')
    .option('--to <url>', 'the runtime, e.g. http://127.0.0.1:8420')
    .option('--token <token>', 'admin token (or KAIWU_ADMIN_TOKEN)')
    .option('--data <dir>', "a stopped runtime's data folder (offline deploy, e.g. from a USB stick)")
    .action(async (file: string, opts: { to?: string; token?: string; data?: string }) => {
      if ((opts.to === undefined) === (opts.data === undefined)) {
        out(lang() === 'zh' ? '请指定 --to <URL>（在线）或 --data <目录>（离线）之一' : 'give one of --to <url> (online) or --data <dir> (offline)');
        code = 2;
        return;
      }
      code = await (await import('./cli/deploy-command')).deployCommand(file, opts.to ? { remote: remote({ to: opts.to, ...(opts.token ? { token: opts.token } : {}) }) } : { data: opts.data! }, lang(), out);
    });

  program.command('status')
    .description('what a runtime runs: deployment, last good one, node counters')
    .requiredOption('--to <url>', 'the runtime')
    .option('--token <token>', 'admin token (or KAIWU_ADMIN_TOKEN)')
    .option('--json', 'print the raw status')
    .action(async (opts: { to: string; token?: string; json?: boolean }) => {
      code = await (await import('./cli/status-command')).statusCommand(remote(opts), { lang: lang(), json: opts.json === true }, out);
    });

  program.command('rollback')
    .description('go back to the last deployment that ran healthily')
    .requiredOption('--to <url>', 'the runtime')
    .option('--token <token>', 'admin token (or KAIWU_ADMIN_TOKEN)')
    .action(async (opts: { to: string; token?: string }) => {
      code = await (await import('./cli/deploy-command')).rollbackCommand(remote(opts), lang(), out);
    });

  const time = (value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    if (Number.isNaN(t)) throw new InputFileError(value, 'not a time: use ISO 8601 (2026-11-01T08:00+08:00) or ms since 1970 / 时间格式不正确');
    return t;
  };

  program.command('purge')
    .description('destroy the data of a time range and/or a device (points, rollups, events, alarms)')
    .option('--to <url>', 'a running runtime')
    .option('--token <token>', 'admin token (or KAIWU_ADMIN_TOKEN)')
    .option('--data <dir>', "a stopped runtime's data folder")
    .option('--since <time>', 'start of the range (ISO 8601 or ms)')
    .option('--until <time>', 'end of the range, exclusive')
    .option('--device <device>', 'only this device')
    .option('--yes', 'really destroy it')
    .action(async (opts: { to?: string; token?: string; data?: string; since?: string; until?: string; device?: string; yes?: boolean }) => {
      if ((opts.to === undefined) === (opts.data === undefined)) {
        out(lang() === 'zh' ? '请指定 --to <URL>（在线）或 --data <目录>（离线）之一' : 'give one of --to <url> (online) or --data <dir> (offline)');
        code = 2;
        return;
      }
      const since = time(opts.since);
      const until = time(opts.until);
      const range = { ...(since === undefined ? {} : { from: since }), ...(until === undefined ? {} : { to: until }), ...(opts.device ? { device: opts.device } : {}) };
      code = await (await import('./cli/purge-command')).purgeCommand(range, opts.to ? { remote: remote({ to: opts.to, ...(opts.token ? { token: opts.token } : {}) }) } : { data: opts.data! }, { lang: lang(), yes: opts.yes === true }, out);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof InputFileError || err instanceof KeyFileError || err instanceof RemoteError || err instanceof RuntimeLockedError) {
      out(`kaiwu: ${err.message}`);
      return 1;
    }
    throw err;
  }
  return code;
}
