import { existsSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { Lang } from '../model';
import { dataDir, ensureDataDir } from '../site/data-dir';
import { writeStudioLink } from '../site/studio-link';
import { RemoteError, callApi, printApiError } from './remote';

export interface PairOptions {
  readonly data: string;
  readonly studio: string;
  /** How the studio reaches this runtime; default http://<first LAN address>:8420. */
  readonly url?: string;
  readonly lang: Lang;
}

/** This machine's first non-loopback IPv4 address, which is what a studio on the LAN would use. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

/**
 * `kaiwu pair <code> --studio URL`: registers this runtime with the studio by the one-time code an
 * engineer made there, and keeps the heartbeat token it gets back in the data folder, so the
 * runtime reports to the studio from then on.
 */
export async function pairCommand(code: string, o: PairOptions, print: (line: string) => void): Promise<number> {
  const zh = o.lang === 'zh';
  const dir = dataDir(o.data);
  ensureDataDir(dir);
  const token = process.env.KAIWU_ADMIN_TOKEN || (existsSync(dir.adminToken) ? readFileSync(dir.adminToken, 'utf8').trim() : '');
  if (!token) {
    print(zh
      ? `找不到管理令牌：${dir.adminToken} 不存在。先运行一次 kaiwu runtime --data ${o.data}，或设置 KAIWU_ADMIN_TOKEN`
      : `no admin token: ${dir.adminToken} does not exist. Start kaiwu runtime --data ${o.data} once, or set KAIWU_ADMIN_TOKEN`);
    return 1;
  }
  const lan = lanAddress();
  const url = o.url ?? (lan ? `http://${lan}:8420` : undefined);
  if (!url) {
    print(zh ? '找不到本机的局域网地址：用 --url 给出工作室访问本运行时的网址' : 'no LAN address found: give the URL the studio reaches this runtime at with --url');
    return 1;
  }
  let answer;
  try {
    answer = await callApi({ url: o.studio, token: undefined }, 'POST', `/api/pairing/${encodeURIComponent(code)}`, { url, token });
  } catch (err) {
    if (err instanceof RemoteError) {
      print(err.message.replace('the runtime', 'the studio').replace('运行时', '工作室'));
      return 1;
    }
    throw err;
  }
  if (answer.status !== 201) {
    print(zh ? `配对失败（工作室 ${o.studio}，本运行时 ${url}）：` : `pairing failed (studio ${o.studio}, this runtime ${url}):`);
    printApiError(answer, o.lang, print);
    return 1;
  }
  const body = answer.body as { site: { id: string; name: string }; heartbeat: { path: string; token: string; intervalMs: number } };
  writeStudioLink(dir, {
    studio: o.studio.replace(/\/+$/, ''),
    siteId: body.site.id,
    heartbeatToken: body.heartbeat.token,
    heartbeatPath: body.heartbeat.path,
    intervalMs: body.heartbeat.intervalMs,
    pairedAt: new Date().toISOString(),
  });
  const every = Math.round(body.heartbeat.intervalMs / 1000);
  print(zh
    ? `已与工作室配对：站点 “${body.site.name}”（${body.site.id}），工作室经 ${url} 访问本运行时；心跳每 ${every} 秒一次（${dir.studioLink}）`
    : `paired with the studio: site "${body.site.name}" (${body.site.id}); the studio reaches this runtime at ${url}; a heartbeat every ${every} s (${dir.studioLink})`);
  return 0;
}
