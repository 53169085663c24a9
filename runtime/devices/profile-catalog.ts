/**
 * The profile library: device profiles by id, read from `templates/profiles/*.json` (or other
 * folders) and validated once. A device entry names a profile by id or carries one inline.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeviceProfile, ResolvedTag } from '../model/device-profile';
import { validateDeviceProfile } from '../model/device-profile';
import type { Problem } from '../model/problem';

export interface CatalogProfile {
  readonly profile: DeviceProfile;
  readonly tags: readonly ResolvedTag[];
  readonly file?: string;
}

export interface ProfileCatalog {
  get(id: string): CatalogProfile | undefined;
  ids(): string[];
  /** Files that did not load, with their problems. */
  readonly rejected: readonly { file: string; problems: readonly Problem[] }[];
}

/**
 * Finds the shipped profile folder from this file (sources) or from dist/ (the bundled CLI):
 * the nearest ancestor holding templates/profiles. KAIWU_PROFILES overrides it.
 */
export function shippedProfilesDir(): string | undefined {
  if (process.env.KAIWU_PROFILES) return process.env.KAIWU_PROFILES;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'templates', 'profiles');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/** Reads every `*.json` of the folders; later folders override earlier ones by id. */
export function loadProfileCatalog(dirs: readonly string[] = [shippedProfilesDir()].filter((d): d is string => d !== undefined)): ProfileCatalog {
  const byId = new Map<string, CatalogProfile>();
  const rejected: { file: string; problems: Problem[] }[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const file = join(dir, name);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        rejected.push({ file, problems: [{ severity: 'error', code: 'invalid-json', path: [], at: '(root)', message: { zh: `JSON 格式错误：${(err as Error).message}`, en: `invalid JSON: ${(err as Error).message}` } }] });
        continue;
      }
      const result = validateDeviceProfile(raw);
      if (!result.ok) rejected.push({ file, problems: result.problems });
      else byId.set(result.profile.id, { profile: result.profile, tags: result.tags, file });
    }
  }
  return {
    get: (id) => byId.get(id),
    ids: () => [...byId.keys()].sort(),
    rejected,
  };
}

/** A catalog of given profiles, for tests and embedded use. */
export function catalogOf(profiles: readonly unknown[]): ProfileCatalog {
  const byId = new Map<string, CatalogProfile>();
  const rejected: { file: string; problems: Problem[] }[] = [];
  profiles.forEach((raw, i) => {
    const result = validateDeviceProfile(raw);
    if (!result.ok) rejected.push({ file: `#${i}`, problems: result.problems });
    else byId.set(result.profile.id, { profile: result.profile, tags: result.tags });
  });
  return { get: (id) => byId.get(id), ids: () => [...byId.keys()].sort(), rejected };
}
