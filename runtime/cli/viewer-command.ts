import { randomBytes } from 'node:crypto';
import type { Lang } from '../model';
import { dataDir, ensureDataDir } from '../site/data-dir';
import { ViewerError, addViewer, listViewers, readViewerFile, removeViewer, setKiosk } from '../site/viewers';

export type ViewerAction =
  | { readonly action: 'add'; readonly name: string; readonly canAck: boolean; readonly passwordStdin: boolean; readonly replace: boolean }
  | { readonly action: 'remove'; readonly name: string }
  | { readonly action: 'list'; readonly json: boolean }
  | { readonly action: 'kiosk'; readonly open: boolean; readonly allow: readonly string[] };

export interface ViewerCommandOptions {
  readonly data: string;
  readonly lang: Lang;
  /** Reads a password piped in (`--password-stdin`); the CLI passes process.stdin. */
  readonly readStdin?: () => Promise<string>;
  readonly now?: () => number;
}

async function stdinText(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

/**
 * `kaiwu viewer add|remove|list|kiosk --data DIR`: the site's dashboard accounts. Works on a
 * stopped runtime's folder and on a running one's (the runtime re-reads the file).
 */
export async function viewerCommand(a: ViewerAction, o: ViewerCommandOptions, print: (line: string) => void): Promise<number> {
  const zh = o.lang === 'zh';
  const dir = dataDir(o.data);
  ensureDataDir(dir);
  try {
    switch (a.action) {
      case 'add': {
        const given = a.passwordStdin ? (await (o.readStdin ?? stdinText)()).replace(/\r?\n$/, '') : undefined;
        const password = given ?? randomBytes(12).toString('base64url');
        await addViewer(dir, a.name, password, { canAck: a.canAck, now: (o.now ?? Date.now)(), replace: a.replace });
        const role = a.canAck ? (zh ? '可查看、可确认报警' : 'may view and acknowledge alarms') : (zh ? '只读' : 'read-only');
        print(zh ? `已添加看板用户 ${a.name}（${role}）` : `added dashboard viewer ${a.name} (${role})`);
        if (given === undefined) print(zh ? `密码（只显示这一次）：${password}` : `password (shown once): ${password}`);
        return 0;
      }
      case 'remove':
        removeViewer(dir, a.name);
        print(zh ? `已删除看板用户 ${a.name}，其登录随即失效` : `removed dashboard viewer ${a.name}; their sessions end now`);
        return 0;
      case 'list': {
        const viewers = listViewers(dir);
        const { kiosk } = readViewerFile(dir);
        if (a.json) {
          print(JSON.stringify({ viewers, kiosk }, null, 2));
          return 0;
        }
        if (viewers.length === 0) print(zh ? '还没有看板用户：kaiwu viewer add <用户名> --data <目录>' : 'no dashboard viewers yet: kaiwu viewer add <name> --data <dir>');
        for (const v of viewers) {
          const role = v.canAck ? (zh ? '可确认报警' : 'may acknowledge') : (zh ? '只读' : 'read-only');
          print(`${v.name.padEnd(24)} ${role.padEnd(16)} ${new Date(v.createdAt).toISOString().slice(0, 16).replace('T', ' ')}`);
        }
        const where = kiosk.allow.length > 0 ? kiosk.allow.join(', ') : (zh ? '任何地址' : 'any address');
        print(kiosk.open ? (zh ? `开放看板：开（无需登录，只读；${where}）` : `open kiosk: on (no login, read-only; ${where})`) : (zh ? '开放看板：关' : 'open kiosk: off'));
        return 0;
      }
      case 'kiosk':
        setKiosk(dir, { open: a.open, allow: [...a.allow] });
        print(a.open
          ? (zh ? `开放看板已打开：${a.allow.length > 0 ? `地址 ${a.allow.join('、')} 的设备` : '任何能访问运行时的设备'}无需登录即可只读查看看板` : `open kiosk on: ${a.allow.length > 0 ? a.allow.join(', ') : 'anyone who can reach the runtime'} sees the dashboard read-only without a login`)
          : (zh ? '开放看板已关闭：查看看板需要登录' : 'open kiosk off: the dashboard needs a login'));
        return 0;
    }
  } catch (err) {
    if (err instanceof ViewerError) {
      print(`kaiwu: ${zh ? err.text.zh : err.text.en}`);
      return 1;
    }
    throw err;
  }
}
