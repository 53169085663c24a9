import { createNodeRegistry } from '../../nodes/registry';
import { loadProfileCatalog, shippedProfilesDir } from '../devices/profile-catalog';
import { loadTemplateLibrary, shippedTemplatesDir } from '../library/template-library';
import type { ProfileLookup } from '../model';

/** The node types, device profiles and templates a command works with (shipped ones unless told otherwise). */
export function openLibrary(options: { templates?: string; profiles?: string[] }) {
  const registry = createNodeRegistry();
  const profileDirs = options.profiles?.length ? options.profiles : [shippedProfilesDir()].filter((d): d is string => d !== undefined);
  const catalog = loadProfileCatalog(profileDirs);
  const profiles: ProfileLookup = (id) => catalog.get(id)?.profile;
  const dir = options.templates ?? shippedTemplatesDir();
  const library = dir ? loadTemplateLibrary(dir, registry, profiles) : undefined;
  return { registry, profiles, library, profileCatalog: catalog };
}
