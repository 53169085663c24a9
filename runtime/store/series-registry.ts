/** A series as the store knows it: a device's tag and its numeric id in the tables. */
export interface SeriesEntry {
  readonly id: number;
  readonly device: string;
  readonly tag: string;
  readonly createdAt: number;
  /** False until the flush that first writes one of its points has committed the series row. */
  persisted: boolean;
}

/**
 * Device/tag → series id, in memory. A new series gets its id at once so points can be
 * buffered as numbers; its row is written with the first flush that carries it, so a store
 * that cannot write (full disk) still accepts points for a new tag.
 */
export class SeriesRegistry {
  private readonly byDevice = new Map<string, Map<string, SeriesEntry>>();
  private readonly byId = new Map<number, SeriesEntry>();
  private nextId = 1;
  private fresh: SeriesEntry[] = [];

  constructor(rows: readonly { id: number; device: string; tag: string; created_at: number }[]) {
    for (const r of rows) this.add({ id: r.id, device: r.device, tag: r.tag, createdAt: r.created_at, persisted: true });
  }

  private add(entry: SeriesEntry): void {
    let tags = this.byDevice.get(entry.device);
    if (tags === undefined) this.byDevice.set(entry.device, (tags = new Map()));
    tags.set(entry.tag, entry);
    this.byId.set(entry.id, entry);
    if (entry.id >= this.nextId) this.nextId = entry.id + 1;
  }

  /** The series of a device's tag, made (unpersisted) on first use. */
  resolve(device: string, tag: string, now: number): SeriesEntry {
    const found = this.byDevice.get(device)?.get(tag);
    if (found !== undefined) return found;
    const entry: SeriesEntry = { id: this.nextId, device, tag, createdAt: now, persisted: false };
    this.add(entry);
    this.fresh.push(entry);
    return entry;
  }

  find(device: string, tag: string): SeriesEntry | undefined {
    return this.byDevice.get(device)?.get(tag);
  }

  byIdOf(id: number): SeriesEntry | undefined {
    return this.byId.get(id);
  }

  /** Series made since the last successful flush; mark them persisted after the commit. */
  unpersisted(): readonly SeriesEntry[] {
    if (this.fresh.length > 0) this.fresh = this.fresh.filter((e) => !e.persisted && this.byId.get(e.id) === e);
    return this.fresh;
  }

  ofDevice(device: string): SeriesEntry[] {
    return [...(this.byDevice.get(device)?.values() ?? [])];
  }

  all(): SeriesEntry[] {
    return [...this.byId.values()];
  }

  remove(entry: SeriesEntry): void {
    this.byId.delete(entry.id);
    const tags = this.byDevice.get(entry.device);
    tags?.delete(entry.tag);
    if (tags?.size === 0) this.byDevice.delete(entry.device);
  }
}
