import type { JsonPath, Problem } from './problem';
import { problem } from './problem';

export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

/** `steps[v]` turns a document of version v into one of version v + 1. */
export interface MigrationTable {
  readonly kind: string;
  readonly current: number;
  readonly steps: Readonly<Record<number, Migration>>;
}

export type MigrationResult =
  | { ok: true; doc: Record<string, unknown>; from: number }
  | { ok: false; problems: Problem[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Brings a document carrying `schemaVersion` up to the current version, step by step. */
export function migrateDocument(raw: unknown, table: MigrationTable, base: JsonPath = []): MigrationResult {
  if (!isRecord(raw)) {
    return { ok: false, problems: [problem('not-an-object', base, {
      zh: `${table.kind} 必须是 JSON 对象，实际是 ${describeJsonType(raw)}`,
      en: `a ${table.kind} must be a JSON object, got ${describeJsonType(raw)}`,
    })] };
  }
  const version = raw.schemaVersion;
  const path = [...base, 'schemaVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, problems: [problem('schema-version', path, {
      zh: `缺少有效的 schemaVersion（应为正整数，当前支持 ${table.current}），实际是 ${JSON.stringify(version) ?? 'undefined'}`,
      en: `missing a valid schemaVersion (a positive integer; this version supports ${table.current}), got ${JSON.stringify(version) ?? 'undefined'}`,
    })] };
  }
  if (version > table.current) {
    return { ok: false, problems: [problem('schema-version-newer', path, {
      zh: `该 ${table.kind} 的 schemaVersion ${version} 比本程序支持的 ${table.current} 新，请升级开物`,
      en: `this ${table.kind} has schemaVersion ${version}, newer than the ${table.current} this Kaiwu supports: upgrade Kaiwu`,
    })] };
  }
  let doc = raw;
  for (let v = version; v < table.current; v++) {
    const step = table.steps[v];
    if (!step) {
      return { ok: false, problems: [problem('schema-version-gap', path, {
        zh: `没有从 ${table.kind} schemaVersion ${v} 升级到 ${v + 1} 的迁移`,
        en: `no migration from ${table.kind} schemaVersion ${v} to ${v + 1}`,
      })] };
    }
    doc = { ...step(doc), schemaVersion: v + 1 };
  }
  return { ok: true, doc, from: version };
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
