import type { Lang } from '../model';
import { dataDir, ensureDataDir } from '../site/data-dir';
import { trustKey } from '../site/trusted-keys';

/** Adds a studio's public key to a site's trusted keys. */
export function trustCommand(publicKeyFile: string, options: { data: string; lang: Lang }, print: (line: string) => void): number {
  const dir = dataDir(options.data);
  ensureDataDir(dir);
  const keyId = trustKey(dir, publicKeyFile);
  print(options.lang === 'zh' ? `站点 ${options.data} 现在信任密钥 ${keyId} 签署的部署包` : `${options.data} now trusts bundles signed by key ${keyId}`);
  return 0;
}
