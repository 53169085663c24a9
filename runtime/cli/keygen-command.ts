import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateSigningKeys } from '../bundle/keys';
import type { Lang } from '../model';

/** Writes an Ed25519 key pair: `<out>.key` (private, 0600) and `<out>.pub`. */
export function keygenCommand(out: string, options: { lang: Lang; force: boolean }, print: (line: string) => void): number {
  const keyFile = `${out}.key`;
  const pubFile = `${out}.pub`;
  if (!options.force && (existsSync(keyFile) || existsSync(pubFile))) {
    print(options.lang === 'zh' ? `${keyFile} 已存在；用 --force 覆盖` : `${keyFile} exists; use --force to overwrite it`);
    return 1;
  }
  mkdirSync(dirname(keyFile), { recursive: true });
  const keys = generateSigningKeys();
  writeFileSync(keyFile, keys.privatePem, { mode: 0o600 });
  writeFileSync(pubFile, keys.publicPem);
  print(options.lang === 'zh'
    ? `已生成签名密钥 ${keys.keyId}\n  私钥（妥善保管，仅工作室使用）：${keyFile}\n  公钥（用 kaiwu trust 交给各站点）：${pubFile}`
    : `made signing key ${keys.keyId}\n  private key (keep it safe; the studio signs with it): ${keyFile}\n  public key (give it to sites with kaiwu trust): ${pubFile}`);
  return 0;
}
