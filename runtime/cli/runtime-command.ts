import { pino } from 'pino';
import type { Lang } from '../model';
import { dataDir } from '../site/data-dir';
import { startSiteService } from '../site/site-service';
import { untilSignal } from './signals';
import { startupDone } from './startup-heap';

export interface RuntimeOptions {
  readonly data: string;
  readonly port: number;
  readonly host: string;
  readonly site?: string;
  readonly probationSec: number;
  /** Seconds between heartbeats to the paired studio; default the studio's (30). */
  readonly heartbeatSec?: number;
  readonly logLevel: string;
  readonly lang: Lang;
}

/**
 * `kaiwu runtime`: the site service. Resumes its deployment, serves the admin API on loopback
 * unless told otherwise, and stops cleanly on SIGINT/SIGTERM.
 */
export async function runtimeCommand(o: RuntimeOptions, print: (line: string) => void): Promise<number> {
  const signalled = untilSignal();
  const dir = dataDir(o.data);
  const logger = pino({ level: o.logLevel, base: { part: 'runtime' } }, pino.destination(2));
  const service = await startSiteService({
    dir, port: o.port, host: o.host, logger, probationMs: o.probationSec * 1000,
    ...(o.site ? { site: o.site } : {}), ...(o.heartbeatSec ? { heartbeatMs: o.heartbeatSec * 1000 } : {}),
    ...(process.env.KAIWU_ADMIN_TOKEN ? { adminToken: process.env.KAIWU_ADMIN_TOKEN } : {}),
  });
  if (service.token.generated) {
    print(o.lang === 'zh'
      ? `管理令牌（只显示这一次，也已写入 ${dir.adminToken}，权限 0600）：${service.token.generated}`
      : `admin token (shown once; also written to ${dir.adminToken}, mode 0600): ${service.token.generated}`);
  }
  print(`listening ${service.url}`);
  const status = service.site.status();
  print(status.deployment
    ? (o.lang === 'zh' ? `运行部署 ${status.deployment.id}（序号 ${status.deployment.sequence}）` : `running ${status.deployment.id} (sequence ${status.deployment.sequence})`)
    : (o.lang === 'zh' ? '尚无部署：用 kaiwu deploy 部署一个签名的部署包' : 'nothing deployed yet: deploy a signed bundle with kaiwu deploy'));
  startupDone();

  await signalled;
  print(o.lang === 'zh' ? '正在停止…' : 'stopping…');
  await service.close();
  print(o.lang === 'zh' ? '已停止 stopped' : 'stopped');
  return 0;
}
