import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Text } from '../../runtime/model';

// scrypt cost: about 50 ms on a small server, 16 MB of memory per check.
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 64;
const MAX_MEMORY = 64 * 1024 * 1024;

export const MIN_PASSWORD_LENGTH = 10;

function derive(password: string, salt: Buffer, n: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // NFKC: a full-width character typed on a Chinese keyboard checks the same as its ASCII twin.
    scrypt(password.normalize('NFKC'), salt, length, { N: n, r, p, maxmem: MAX_MEMORY }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64: the parameters travel with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P, KEY_LENGTH);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await derive(password, Buffer.from(parts[4]!, 'base64'), n, r, p, expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/** A hash to check against when the user does not exist, so a wrong name costs as long as a wrong password. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

/** A password for a new account: 120 random bits, printable. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

export function passwordProblem(password: string): Text | undefined {
  if ([...password.normalize('NFKC')].length < MIN_PASSWORD_LENGTH) {
    return { zh: `密码至少 ${MIN_PASSWORD_LENGTH} 个字符`, en: `a password needs at least ${MIN_PASSWORD_LENGTH} characters` };
  }
  return undefined;
}
