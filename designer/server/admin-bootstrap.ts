import type { StudioDataDir } from './data-dir';
import { writePrivateFile } from './data-dir';
import { generatePassword, hashPassword } from './passwords';
import type { Users } from './users';

export const FIRST_ADMIN = 'admin';

/**
 * The first start makes an `admin` account. Its password is returned (to print once) and
 * written to DATA/admin-password (0600), the way the runtime hands out its admin token.
 */
export async function ensureFirstAdmin(users: Users, dir: StudioDataDir): Promise<string | undefined> {
  if (users.list().length > 0) return undefined;
  const password = generatePassword();
  users.create({ username: FIRST_ADMIN, role: 'admin', enterpriseId: null, displayName: '管理员 Administrator', passwordHash: await hashPassword(password) });
  writePrivateFile(dir.adminPassword, `${password}\n`);
  return password;
}
