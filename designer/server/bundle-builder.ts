import type { KeyObject } from 'node:crypto';
import { buildInstanceBundle } from '../../runtime/bundle/instance-bundle';
import { signBundle } from '../../runtime/bundle/sign-bundle';
import type { Instance, NodeCatalog, Problem, ProfileLookup, SignedBundle } from '../../runtime/model';
import { problem } from '../../runtime/model';
import type { TemplateStore } from './template-store';

export interface BuiltBundle {
  readonly signed: SignedBundle;
  readonly bundleHash: string;
  readonly instanceHash: string;
  readonly template: string;
  readonly sequence: number;
}

export interface BundleBuilder {
  /** Resolves an instance against its (published, immutable) template version and signs the result. */
  build(instance: Instance, sequence: number): { ok: true; built: BuiltBundle } | { ok: false; problems: Problem[] };
}

export interface BundleBuilderOptions {
  readonly templates: Pick<TemplateStore, 'published'>;
  readonly profiles: ProfileLookup;
  readonly catalog: NodeCatalog;
  readonly key: KeyObject;
  readonly now: () => number;
}

export function createBundleBuilder(o: BundleBuilderOptions): BundleBuilder {
  return {
    build(instance, sequence) {
      const template = o.templates.published(instance.template);
      if (!template) {
        return { ok: false, problems: [problem('unknown-template', ['template'], { zh: `没有已发布的模板 ${instance.template}`, en: `no published template ${instance.template}` })] };
      }
      const built = buildInstanceBundle(template, instance, o.profiles, o.catalog, { sequence, createdAt: new Date(o.now()).toISOString() });
      if (!built.ok) return built;
      const signed = signBundle(built.bundle, o.key);
      // The bundle already names the instance's hash: no second pass over the instance.
      return { ok: true, built: { signed, bundleHash: signed.hash, instanceHash: built.bundle.source.instanceHash!, template: instance.template, sequence } };
    },
  };
}
