import { z } from 'zod';
import type { Problem } from './problem';
import { problem } from './problem';
import { zodProblems } from './zod-problems';

/** What a stream may carry: raw points, minute or hour rollups, or only KPIs (OEE, output …). */
export const GRANULARITIES = ['raw', '1m', '1h', 'kpi'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

const Id = z.string().refine((s) => /^[a-z][a-z0-9_-]{0,63}$/.test(s), {
  message: 'an id of lower-case letters, digits, "_" or "-", starting with a letter',
  params: { zh: 'id 须由小写字母、数字、“_”或“-”组成，以字母开头' },
});

export const UplinkEndpointSchema = z.object({
  id: Id,
  kind: z.enum(['mqtt', 'http']),
  /** mqtt://, mqtts://, http://, https:// */
  url: z.string().refine((s) => /^(mqtts?|https?):\/\/[^\s]+$/.test(s), { message: 'an mqtt://, mqtts://, http:// or https:// URL', params: { zh: '应为 mqtt://、mqtts://、http:// 或 https:// 地址' } }),
  /** MQTT: 4 is 3.1.1, 5 is MQTT 5. */
  protocolVersion: z.union([z.literal(4), z.literal(5)]).default(4),
  clientId: z.string().min(1).max(128).optional(),
  username: z.string().min(1).optional(),
  /** The name of a site secret (`kaiwu secret set`) holding the password: passwords never travel in bundles. */
  passwordSecret: z.string().min(1).optional(),
  /** Certificate files on the site. */
  tls: z.object({
    ca: z.string().optional(),
    cert: z.string().optional(),
    key: z.string().optional(),
    rejectUnauthorized: z.boolean().default(true),
  }).optional(),
  /** MQTT topic of a message: {site}, {device}, {tag}, {stream} are filled in. */
  topic: z.string().min(1).default('kaiwu/{site}/{device}/{tag}'),
  /** HTTP: messages a POST carries. */
  batch: z.number().int().min(1).max(10_000).default(500),
  queue: z.object({
    maxMessages: z.number().int().min(1).max(100_000_000).default(1_000_000),
    maxAgeHours: z.number().min(0.01).max(24 * 365).default(7 * 24),
    /** What a full queue does: keep the newest (drop the oldest), or keep what it has (refuse new). */
    overflow: z.enum(['drop-oldest', 'refuse-new']).default('drop-oldest'),
  }).default({ maxMessages: 1_000_000, maxAgeHours: 168, overflow: 'drop-oldest' }),
  /** A message the receiver refuses this often is set aside so the rest can go. */
  deadAfterAttempts: z.number().int().min(1).max(100).default(5),
  /** MQTT topics the platform may send commands on (for mqtt-in); none by default. */
  commands: z.array(z.string().min(1)).default([]),
});
export type UplinkEndpoint = z.infer<typeof UplinkEndpointSchema>;

/** One consented stream: which series, at what granularity, to which endpoint. */
export const UplinkStreamSchema = z.object({
  id: Id,
  endpoint: Id,
  /** Device names; `*` matches any run of characters (`loom-*`). */
  devices: z.array(z.string().min(1)).min(1).default(['*']),
  /** Tags (message topics); `*` as above. */
  tags: z.array(z.string().min(1)).min(1),
  granularity: z.enum(GRANULARITIES),
});
export type UplinkStream = z.infer<typeof UplinkStreamSchema>;

/**
 * What may leave the site, as the enterprise agreed to: exactly these streams to these
 * endpoints. No policy, or an empty one, means nothing leaves.
 */
export const UplinkPolicySchema = z.object({
  endpoints: z.array(UplinkEndpointSchema).default([]),
  streams: z.array(UplinkStreamSchema).default([]),
});
export type UplinkPolicy = z.infer<typeof UplinkPolicySchema>;

export const NO_UPLINK: UplinkPolicy = { endpoints: [], streams: [] };

export function checkUplinkPolicy(raw: unknown, base: (string | number)[] = ['bundle', 'uplink']): { ok: true; policy: UplinkPolicy } | { ok: false; problems: Problem[] } {
  if (raw === undefined || raw === null) return { ok: true, policy: NO_UPLINK };
  const parsed = UplinkPolicySchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error, base, 'invalid-uplink') };
  const p = parsed.data;
  const problems: Problem[] = [];
  const ids = new Set<string>();
  p.endpoints.forEach((e, i) => {
    if (ids.has(e.id)) problems.push(problem('duplicate-endpoint', [...base, 'endpoints', i, 'id'], { zh: `端点 “${e.id}” 重复`, en: `duplicate endpoint "${e.id}"` }));
    ids.add(e.id);
    if (e.kind === 'http' && !e.url.startsWith('http')) problems.push(problem('invalid-uplink', [...base, 'endpoints', i, 'url'], { zh: 'HTTP 端点需要 http:// 或 https:// 地址', en: 'an HTTP endpoint needs an http:// or https:// URL' }));
    if (e.kind === 'mqtt' && !e.url.startsWith('mqtt')) problems.push(problem('invalid-uplink', [...base, 'endpoints', i, 'url'], { zh: 'MQTT 端点需要 mqtt:// 或 mqtts:// 地址', en: 'an MQTT endpoint needs an mqtt:// or mqtts:// URL' }));
  });
  const streamIds = new Set<string>();
  p.streams.forEach((s, i) => {
    if (!ids.has(s.endpoint)) problems.push(problem('unknown-endpoint', [...base, 'streams', i, 'endpoint'], { zh: `流 “${s.id}” 指向不存在的端点 “${s.endpoint}”`, en: `stream "${s.id}" names endpoint "${s.endpoint}", which the policy does not have` }));
    if (streamIds.has(s.id)) problems.push(problem('duplicate-stream', [...base, 'streams', i, 'id'], { zh: `流 “${s.id}” 重复`, en: `duplicate stream "${s.id}"` }));
    streamIds.add(s.id);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policy: p };
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** Finds the stream that lets this series go to this endpoint at this granularity, if any. */
export function compilePolicy(policy: UplinkPolicy): (endpoint: string, device: string, tag: string, granularity: Granularity) => UplinkStream | undefined {
  const compiled = policy.streams.map((s) => ({ s, devices: s.devices.map(globToRegExp), tags: s.tags.map(globToRegExp) }));
  return (endpoint, device, tag, granularity) => compiled.find((c) => c.s.endpoint === endpoint && c.s.granularity === granularity
    && c.devices.some((r) => r.test(device)) && c.tags.some((r) => r.test(tag)))?.s;
}

/** Whether a command topic matches one the endpoint allows (MQTT wildcards + and #). */
export function commandAllowed(endpoint: UplinkEndpoint, topic: string): boolean {
  return endpoint.commands.some((pattern) => {
    const p = pattern.split('/');
    const t = topic.split('/');
    for (let i = 0; i < p.length; i++) {
      if (p[i] === '#') return true;
      if (i >= t.length || (p[i] !== '+' && p[i] !== t[i])) return false;
    }
    return p.length === t.length;
  });
}
