import type { Lang } from '../model';
import { dataDir, ensureDataDir } from '../site/data-dir';
import { removeSecret, writeSecret } from '../site/secrets';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Sets or removes a site secret (an uplink password or token); the value comes from --value or stdin. */
export async function secretCommand(action: 'set' | 'remove', name: string, o: { data: string; value?: string; lang: Lang }, print: (line: string) => void): Promise<number> {
  const dir = dataDir(o.data);
  ensureDataDir(dir);
  if (action === 'remove') {
    const gone = removeSecret(dir, name);
    print(o.lang === 'zh' ? (gone ? `已删除密钥 ${name}` : `没有密钥 ${name}`) : gone ? `removed secret ${name}` : `no secret ${name}`);
    return gone ? 0 : 1;
  }
  const value = o.value ?? (await readStdin());
  if (value === '') {
    print(o.lang === 'zh' ? '密钥的值为空：用 --value 或从标准输入给出' : 'the secret is empty: give it with --value or on stdin');
    return 1;
  }
  writeSecret(dir, name, value);
  print(o.lang === 'zh' ? `已保存密钥 ${name}（权限 0600）` : `saved secret ${name} (mode 0600)`);
  return 0;
}
