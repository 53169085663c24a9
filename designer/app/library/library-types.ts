// The studio API's answers the library pages read (types only: the shapes live with the server).
import type { IndustryEntry, Template } from '../../../runtime/model';
import type { DeviceProfileEntry } from '../../server/node-catalog';
import type { TemplateHit, VersionSummary } from '../../server/template-store';
import type { InstanceView } from '../../server/instances';

export type { IndustryEntry, Template } from '../../../runtime/model';
export type { DeviceProfileEntry } from '../../server/node-catalog';
export type { TemplateHit, VersionSummary } from '../../server/template-store';
export type { InstanceView } from '../../server/instances';

/** GET /api/industries (sections and divisions, or a search). */
export interface IndustriesAnswer {
  readonly entries: readonly IndustryEntry[];
}

/** GET /api/industries?code= */
export interface IndustryAnswer {
  readonly entry: IndustryEntry;
  readonly children: readonly IndustryEntry[];
}

/** GET /api/templates */
export interface TemplatesPage {
  readonly templates: readonly TemplateHit[];
  readonly total: number;
}

/** GET /api/templates/:id */
export interface TemplateVersions {
  readonly id: string;
  readonly versions: readonly VersionSummary[];
}

/** GET /api/templates/:id/versions/:version */
export interface TemplateVersion {
  readonly summary: VersionSummary;
  readonly template: Template;
  readonly readme: string | null;
}

/** An instance without its document, as lists give it. */
export type InstanceSummary = Omit<InstanceView, 'instance'>;

/** GET /api/instances */
export interface InstancesPage {
  readonly instances: readonly InstanceSummary[];
  readonly total: number;
}

/** GET /api/instances/:id */
export interface InstanceAnswer {
  readonly instance: InstanceView;
}

/** GET /api/device-profiles */
export interface ProfilesAnswer {
  readonly profiles: readonly DeviceProfileEntry[];
}
