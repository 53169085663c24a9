import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeviceProfile, NodeCatalog, Text } from '../../runtime/model';
import { ROLES } from './roles';
import type { StudioRoute } from './route-table';
import { guarded } from './route-table';

/** What the designer needs of a node type beyond its definition: the help page (README.md). */
export interface NodeCatalogEntry {
  readonly type: string;
  readonly version: number;
  readonly category?: string;
  readonly icon?: string;
  readonly title?: Text;
  readonly summary?: Text;
  /** The node folder's README.md (Markdown), or null when it has none. */
  readonly readme: string | null;
}

export interface DeviceProfileEntry {
  readonly id: string;
  readonly title: Text;
  readonly vendorModel?: string;
  readonly tags: readonly { key: string; label: Text; type: string; unit?: string; access: 'r' | 'rw'; min?: number; max?: number }[];
}

/** The node folders (`nodes/<category>/<type>/`) beside the sources, or beside the bundled CLI. */
function nodesDir(): string | undefined {
  for (const rel of ['../../nodes/', '../nodes/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'sdk.ts')) || existsSync(join(dir, 'core'))) return dir;
  }
  return undefined;
}

/** README.md of each node folder by folder name (the type id), read once. */
export function readNodeReadmes(dir = nodesDir()): Map<string, string> {
  const out = new Map<string, string>();
  if (!dir) return out;
  for (const category of readdirSync(dir, { withFileTypes: true })) {
    if (!category.isDirectory()) continue;
    for (const node of readdirSync(join(dir, category.name), { withFileTypes: true })) {
      const file = join(dir, category.name, node.name, 'README.md');
      if (node.isDirectory() && existsSync(file)) out.set(node.name, readFileSync(file, 'utf8'));
    }
  }
  return out;
}

/** Each node type the studio knows, with its README (the browser imports the definitions itself). */
export function nodeCatalogEntries(catalog: NodeCatalog, readmes: ReadonlyMap<string, string>): NodeCatalogEntry[] {
  return catalog.types().map((type) => {
    const spec = catalog.get(type)! as ReturnType<NodeCatalog['get']> & Partial<Pick<NodeCatalogEntry, 'category' | 'icon' | 'title' | 'summary'>>;
    return {
      type, version: spec.version,
      ...(spec.category ? { category: spec.category } : {}), ...(spec.icon ? { icon: spec.icon } : {}),
      ...(spec.title ? { title: spec.title } : {}), ...(spec.summary ? { summary: spec.summary } : {}),
      readme: readmes.get(type) ?? null,
    };
  }).sort((a, b) => a.type.localeCompare(b.type));
}

export function profileEntry(p: DeviceProfile): DeviceProfileEntry {
  return {
    id: p.id, title: p.title, ...(p.vendorModel ? { vendorModel: p.vendorModel } : {}),
    tags: p.tags.map((t) => ({
      key: t.key, label: t.label, type: t.type, access: t.access,
      ...(t.unit ? { unit: t.unit } : {}), ...(t.min === undefined ? {} : { min: t.min }), ...(t.max === undefined ? {} : { max: t.max }),
    })),
  };
}

export interface NodeCatalogServices {
  readonly catalog: NodeCatalog;
  /** The device profiles the studio loaded (shipped and configured folders). */
  readonly profiles: () => readonly DeviceProfile[];
}

/** GET /api/nodes (help pages of the node types) and GET /api/device-profiles (for the tag picker). */
export function nodeCatalogRoutes(s: NodeCatalogServices): StudioRoute[] {
  let entries: NodeCatalogEntry[] | undefined;
  return [
    guarded('get', '/api/nodes', ROLES, {
      summary: { zh: '节点类型及其帮助（README）', en: 'the node types with their help pages (README)' },
    }, () => {
      entries ??= nodeCatalogEntries(s.catalog, readNodeReadmes());
      return { body: { nodes: entries } };
    }),
    guarded('get', '/api/device-profiles', ROLES, {
      summary: { zh: '设备模型及其点位（用于点位选择）', en: 'the device profiles and their tags (for the tag picker)' },
    }, () => ({ body: { profiles: s.profiles().map(profileEntry).sort((a, b) => a.id.localeCompare(b.id)) } })),
  ];
}
