// Shapes of the studio's template API answers (designer/server/README.md, "API"), and the calls.
import { api } from '../api';
import type { Text } from '../../../runtime/model';
import type { TemplateHit, VersionSummary } from '../../server/template-store';
import type { DeviceProfileEntry } from '../../server/node-catalog';

export type { TemplateHit, VersionSummary } from '../../server/template-store';
export type { DeviceProfileEntry } from '../../server/node-catalog';

export interface IndustryEntry {
  readonly code: string;
  readonly level: string;
  readonly name: Text;
}

export interface TemplatesPage {
  readonly templates: readonly TemplateHit[];
  readonly total: number;
}

export interface VersionAnswer {
  readonly summary: VersionSummary;
  readonly template: Record<string, unknown>;
  readonly readme: string | null;
}

export interface SaveAnswer {
  readonly version: VersionSummary;
  readonly outcome: 'created' | 'updated' | 'unchanged';
}

const enc = encodeURIComponent;
export const versionPath = (id: string, version: string) => `/api/templates/${enc(id)}/versions/${enc(version)}`;

export const templateApi = {
  search: (query: { q?: string; industry?: string; page?: number }) => api.get<TemplatesPage>('/api/templates', { query: { ...query, pageSize: 100 } }),
  versions: (id: string) => api.get<{ id: string; versions: VersionSummary[] }>(`/api/templates/${enc(id)}`),
  get: (id: string, version: string) => api.get<VersionAnswer>(versionPath(id, version)),
  create: (template: unknown, readme?: string) => api.post<SaveAnswer>('/api/templates', { template, ...(readme === undefined ? {} : { readme }) }),
  update: (id: string, version: string, template: unknown, readme?: string) => api.put<SaveAnswer>(versionPath(id, version), { template, ...(readme === undefined ? {} : { readme }) }),
  publish: (id: string, version: string) => api.post<{ version: VersionSummary }>(`${versionPath(id, version)}/publish`),
  deleteDraft: (id: string, version: string) => api.delete<void>(versionPath(id, version)),
  industries: (q: string) => api.get<{ entries: IndustryEntry[] }>('/api/industries', { query: { q } }),
  industry: (code: string) => api.get<{ entry: IndustryEntry; children: IndustryEntry[] }>('/api/industries', { query: { code } }),
  profiles: () => api.get<{ profiles: DeviceProfileEntry[] }>('/api/device-profiles'),
};
