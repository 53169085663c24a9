import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { untilSignal } from '../../runtime/cli/signals';
import type { Lang } from '../../runtime/model';
import { createStudio } from './studio';

export interface StudioCommandOptions {
  readonly data: string;
  readonly port: number;
  readonly host: string;
  readonly lang: Lang;
  /** Template folders to import at start (default: the shipped templates/). */
  readonly templates?: string;
  readonly logLevel?: string;
}

/**
 * `kaiwu studio`: the studio server. Prints where it listens, the first admin password once,
 * and the signing key a site must trust; stops cleanly on SIGINT/SIGTERM.
 */
export async function studioCommand(o: StudioCommandOptions, print: (line: string) => void): Promise<number> {
  const signalled = untilSignal();
  const zh = o.lang === 'zh';
  const logger = pino({ level: o.logLevel ?? 'info', base: { part: 'studio' } }, pino.destination(2));
  const studio = await createStudio({ dataDir: o.data, logger, ...(o.templates ? { templatesDir: o.templates } : {}) });
  if (studio.adminPassword) {
    print(zh
      ? `管理员 admin 的密码（只显示这一次，也已写入 ${studio.dir.adminPassword}，权限 0600）：${studio.adminPassword}`
      : `password of user admin (shown once; also written to ${studio.dir.adminPassword}, mode 0600): ${studio.adminPassword}`);
  }
  const { imported, conflicts, rejected } = studio.imported;
  if (imported.length > 0) print(zh ? `已导入模板：${imported.join('、')}` : `templates imported: ${imported.join(', ')}`);
  for (const ref of conflicts) print(zh ? `注意：随附的 ${ref} 与已发布的同版本内容不同，保留已发布的` : `note: the shipped ${ref} differs from the published one; the published one stays`);
  for (const r of rejected) print(zh ? `未导入 ${r.file}：${r.problems[0]?.message.zh ?? ''}` : `not imported ${r.file}: ${r.problems[0]?.message.en ?? ''}`);
  print(zh
    ? `签名公钥 ${studio.key.keyId}：${studio.key.publicFile}（站点上运行 kaiwu trust ${studio.key.publicFile} --data <目录> 后才接受本工作室的部署包）`
    : `signing key ${studio.key.keyId}: ${studio.key.publicFile} (a site accepts this studio's bundles after kaiwu trust ${studio.key.publicFile} --data <dir>)`);

  const server = studio.app.listen(o.port, o.host);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (err) {
    await studio.close();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  print(`listening http://${host}:${address.port}`);

  await signalled;
  print(zh ? '正在停止…' : 'stopping…');
  server.close();
  server.closeAllConnections();
  await studio.close();
  print(zh ? '已停止 stopped' : 'stopped');
  return 0;
}
