import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DataDir } from './data-dir';
import { writeFileAtomic } from './data-dir';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function folder(dir: DataDir): string {
  return join(dir.root, 'secrets');
}

/**
 * The site's secrets (uplink passwords and tokens): files of mode 0600 in DATA/secrets, set by
 * the field engineer on the site. Bundles name them and never carry them.
 */
export function readSecret(dir: DataDir, name: string): string | undefined {
  if (!NAME.test(name)) return undefined;
  const file = join(folder(dir), name);
  return existsSync(file) ? readFileSync(file, 'utf8').replace(/\r?\n$/, '') : undefined;
}

export function writeSecret(dir: DataDir, name: string, value: string): void {
  if (!NAME.test(name)) throw new Error(`a secret name is letters, digits, "_", "." or "-": ${name} / 密钥名只能包含字母、数字、“_”、“.”、“-”`);
  mkdirSync(folder(dir), { recursive: true, mode: 0o700 });
  writeFileAtomic(join(folder(dir), name), value, 0o600);
}

export function removeSecret(dir: DataDir, name: string): boolean {
  const file = join(folder(dir), name);
  if (!NAME.test(name) || !existsSync(file)) return false;
  rmSync(file);
  return true;
}
