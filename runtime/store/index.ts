// The site store: the only code that touches SQLite. See README.md.
export { createStore } from './store';
export type { FlushResult, RetentionReport, SeriesSummary, Store, StoreLogger, StoreOptions, StoreStats } from './store';
export { StoreError } from './errors';
export type { StoreErrorCode } from './errors';
export type { AlarmAck, AlarmQuery, StoredAlarm } from './alarm-log';
export type { EventQuery, StoredEvent } from './event-log';
export { MAX_QUERY_POINTS, RollupQuerySchema, SeriesQuerySchema } from './series-query';
export type { RollupPoint, RollupQuery, SeriesAnswer, SeriesQuery } from './series-query';
export type { SeriesQueryPoint } from './downsample';
export type { SeriesSource } from './query-plan';
export { PurgeRequestSchema } from './purge';
export type { PurgeReport, PurgeRequest } from './purge';
export { RetentionSchema } from './retention';
export type { RetentionOptions } from './retention';
export { SCHEMA_VERSION } from './schema';
