import { z } from 'zod';
import type { StudioRoute } from './route-table';

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'text', 'details'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string', description: 'the English text' },
        text: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } }, required: ['zh', 'en'] },
        details: {
          type: 'array',
          description: 'every problem, each with its JSON path and zh/en message',
          items: { type: 'object', properties: { severity: { type: 'string' }, code: { type: 'string' }, path: { type: 'array', items: { type: ['string', 'number'] } }, at: { type: 'string' }, message: { type: 'object' } } },
        },
      },
    },
  },
} as const;

function schema(s: z.ZodType): unknown {
  const json = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** An OpenAPI 3.1 description made from the route table, so the two cannot drift apart. */
export function openApiDocument(routes: readonly StudioRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (r.query) {
      const q = schema(r.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(q.properties ?? {})) params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema: s as { type: string } });
    }
    const roles = typeof r.access === 'string' ? r.access : r.access.join(', ');
    (paths[path] ??= {})[r.method] = {
      summary: r.summary.en,
      description: `${r.summary.zh}\n\n${typeof r.access === 'string' ? (r.access === 'public' ? 'No session needed.' : r.access === 'pairing-code' ? 'No session: the one-time pairing code in the path is the credential.' : 'No session: the site\'s heartbeat token (from pairing) is the bearer credential.') : `Roles: ${roles}.`}`,
      operationId: `${r.method}${r.path.replace(/[/:-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      ...(params.length ? { parameters: params } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(r.body) } } } } : {}),
      ...(typeof r.access === 'string' ? { security: [] } : {}),
      'x-kaiwu-roles': typeof r.access === 'string' ? [] : [...r.access],
      responses: {
        [String(r.status)]: { description: r.status === 204 ? 'done, no content' : 'success' },
        default: { description: 'an error, in the one shape', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: '开物工作室 API · Kaiwu studio API', version, description: 'Generated from designer/server/routes.ts by designer/server/write-openapi.ts; see designer/server/README.md.' },
    components: {
      schemas: { Error: ERROR },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'the token from POST /api/login with client "api"' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'kaiwu_session', description: 'set by POST /api/login for a browser' },
      },
    },
    security: [{ bearer: [] }, { cookie: [] }],
    paths,
  };
}
