import type { Instance, Template } from '../../../../runtime/model';
import { InstanceSchema, TemplateSchema } from '../../../../runtime/model';
import type { InstanceView } from '../../../../designer/app/library/library-types';
import valveSampleJson from '../../../../examples/valve-sample/instance.json';
import valve090 from '../../../../templates/valve-machining/versions/0.9.0.json';

/** The shipped valve template's 0.9.0 version (two device groups, typed parameters, N and X scenarios). */
export function valveTemplate(): Template {
  return TemplateSchema.parse(valve090);
}

/** The valve sample firm as the studio answers it. */
export function valveSample(): InstanceView {
  const instance: Instance = InstanceSchema.parse(valveSampleJson);
  return {
    id: 'ins_sample', name: '示范样本', enterprise: null, sample: true, template: instance.template, revision: 1, hash: 'sha256:x', copiedFrom: null, site: null,
    createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', instance,
  };
}
