import type { ApiErrorDetail } from '../../api';
import { ApiError } from '../../api';

export type Path = readonly (string | number)[];

/**
 * A detail's path the way the request body is shaped: the studio answers `body.parameters.x` for
 * a request it could not read and `parameters.x` for an instance it could not resolve; both
 * mean the same field.
 */
export function detailPath(d: ApiErrorDetail): Path {
  const path: Path = d.path && d.path.length > 0 ? d.path : parseAt(d.at);
  return path[0] === 'body' ? path.slice(1) : path;
}

/** `devices.csv[2].host` → ['devices', 'csv', 2, 'host'] (for details without a path). */
export function parseAt(at: string): Path {
  const out: (string | number)[] = [];
  for (const m of at.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(`"${m[3]}"`) as string);
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

const startsWith = (path: Path, prefix: Path) => prefix.every((p, i) => path[i] === p || String(path[i]) === String(p));

/** The details of an error (or a list of them) at or under a path, e.g. ['parameters', 'speed']. */
export function detailsUnder(source: ApiError | readonly ApiErrorDetail[] | undefined, prefix: Path): ApiErrorDetail[] {
  const list = source instanceof ApiError ? source.details : source ?? [];
  return list.filter((d) => startsWith(detailPath(d), prefix));
}

/** An error for anything thrown: ApiErrors as they are, the rest as a network-style error. */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError(0, 'client', { zh: message, en: message });
}
