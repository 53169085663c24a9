import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { DataDir } from './data-dir';
import { writeFileAtomic } from './data-dir';

/** What pairing with a studio leaves on the site: where and how to report. */
export const StudioLinkSchema = z.object({
  studio: z.string().regex(/^https?:\/\/\S+$/, 'an http(s):// URL'),
  siteId: z.string().min(1),
  /** Sent as a bearer token with each heartbeat; good for this site's heartbeats only. */
  heartbeatToken: z.string().min(16),
  heartbeatPath: z.string().startsWith('/'),
  intervalMs: z.number().int().min(1_000).max(3_600_000).default(30_000),
  pairedAt: z.string(),
});
export type StudioLink = z.infer<typeof StudioLinkSchema>;

export class StudioLinkError extends Error {}

/** The link, or undefined when the runtime is not paired; a damaged file says so. */
export function readStudioLink(dir: DataDir): StudioLink | undefined {
  if (!existsSync(dir.studioLink)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(dir.studioLink, 'utf8'));
  } catch (err) {
    throw new StudioLinkError(`${dir.studioLink}: not JSON (${(err as Error).message}); pair again with kaiwu pair / 不是 JSON，请重新配对`);
  }
  const parsed = StudioLinkSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StudioLinkError(`${dir.studioLink}: ${issue.path.join('.') || '(root)'}: ${issue.message}; pair again with kaiwu pair / 内容不对，请重新配对`);
  }
  return parsed.data;
}

export function writeStudioLink(dir: DataDir, link: StudioLink): void {
  writeFileAtomic(dir.studioLink, `${JSON.stringify(link, null, 2)}\n`, 0o600);
}
