import { keyIdOf, readPublicKey } from '../bundle/keys';
import { verifySignedBundle } from '../bundle/verify-bundle';
import type { Lang } from '../model';
import { describeProblem } from '../model';
import { readJsonFile } from './read-json';

/** Checks a bundle's signature against a public key; 0 when it holds. */
export function verifyCommand(file: string, options: { key: string; lang: Lang }, print: (line: string) => void): number {
  const key = readPublicKey(options.key);
  const result = verifySignedBundle(readJsonFile(file), new Map([[keyIdOf(key), key]]));
  if (!result.ok && result.status === 'untrusted') {
    const signer = (readJsonFile(file) as { signature: { keyId: string } }).signature.keyId;
    print(options.lang === 'zh'
      ? `${file}: 该部署包由密钥 ${signer} 签署，不是 ${options.key}（${keyIdOf(key)}）`
      : `${file}: signed by key ${signer}, not by ${options.key} (${keyIdOf(key)})`);
    return 1;
  }
  if (!result.ok) {
    for (const p of result.problems) print(`${file}: ${describeProblem(p, options.lang)}`);
    return 1;
  }
  const b = result.bundle;
  print(options.lang === 'zh'
    ? `${file}: 签名有效（密钥 ${result.keyId}）；站点 ${b.site}，序号 ${b.sequence}，${b.flows.length} 个流程，${result.hash}，生成于 ${b.createdAt}`
    : `${file}: signature valid (key ${result.keyId}); site ${b.site}, sequence ${b.sequence}, ${b.flows.length} flow(s), ${result.hash}, made ${b.createdAt}`);
  return 0;
}
