/**
 * The studio's live previews: at most one per user (a new one replaces the old once it has
 * started), a cap for the whole studio, a stop after 10 idle minutes (no request about it and
 * no event stream open), and every one stopped when the studio closes. Each is a
 * {@link PreviewRun}: an embedded engine against simulated devices.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { NodeRegistry } from '../../nodes/registry';
import { createNodeRegistry } from '../../nodes/registry';
import type { NodeCatalog, ProfileLookup, ResolvedContent } from '../../runtime/model';
import { ApiError } from '../../runtime/server/api-error';
import type { PreviewBehaviour, PreviewLimits, PreviewRun, StopReason } from './preview-run';
import { DEFAULT_PREVIEW_LIMITS, startPreviewRun } from './preview-run';

/** What a preview runs: a published or draft template version, or an instance. */
export interface PreviewSource {
  readonly kind: 'template' | 'draft' | 'instance';
  /** `id@version`. */
  readonly template: string;
  readonly instance?: string;
}

export interface PreviewPlan {
  readonly content: ResolvedContent;
  readonly source: PreviewSource;
  readonly speed: number;
  readonly behaviour: PreviewBehaviour;
  readonly seed: number;
}

export interface PreviewSession {
  readonly id: string;
  readonly ownerId: number;
  readonly source: PreviewSource;
  readonly scenarios: readonly string[];
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly speed: number;
  readonly behaviour: PreviewBehaviour;
  readonly startedAt: number;
  readonly run: PreviewRun;
  /** Event streams open on it now. */
  streams: number;
  lastTouch: number;
}

export interface Previews {
  readonly limits: PreviewLimits;
  /** Starts a preview for `ownerId`; once it runs, the owner's previous one stops (`replaced`). */
  start(ownerId: number, plan: PreviewPlan): Promise<{ session: PreviewSession; replaced: string | null }>;
  /** The owner's preview of this id (anyone else's answers undefined); marks it used. */
  get(id: string, ownerId: number): PreviewSession | undefined;
  /** The owner's live preview, if any. Asking does not count as using it (the idle stop goes on). */
  current(ownerId: number): PreviewSession | undefined;
  stop(id: string, ownerId: number, reason: StopReason): Promise<boolean>;
  /** Counts an event stream open on a session (a watched preview is never idle); call the result when it closes. */
  watch(session: PreviewSession): () => void;
  /** Stops every preview (the studio closes). */
  close(): Promise<void>;
}

export interface PreviewsOptions {
  /** The studio's node types; a catalog without runtime parts gets the built-in registry. */
  readonly registry: NodeCatalog;
  readonly profiles: ProfileLookup;
  readonly logger: Logger;
  /** Wall-clock time for idleness; default Date.now. */
  readonly now?: () => number;
  readonly limits?: Partial<PreviewLimits>;
}

/** The studio's catalog when it can run nodes, else the built-in registry. */
export function runtimeRegistry(catalog: NodeCatalog): NodeRegistry {
  const r = catalog as Partial<NodeRegistry>;
  return typeof r.runtime === 'function' && typeof r.get === 'function' && typeof r.definitions === 'function' ? catalog as NodeRegistry : createNodeRegistry();
}

export function createPreviews(o: PreviewsOptions): Previews {
  const limits: PreviewLimits = { ...DEFAULT_PREVIEW_LIMITS, ...o.limits };
  const now = o.now ?? Date.now;
  const registry = runtimeRegistry(o.registry);
  const sessions = new Map<string, PreviewSession>();
  const byOwner = new Map<number, string>();
  /** Starts in progress, per owner, so two at once from one user queue up. */
  const starting = new Map<number, Promise<unknown>>();
  let closed = false;

  async function stopSession(s: PreviewSession, reason: StopReason): Promise<void> {
    sessions.delete(s.id);
    if (byOwner.get(s.ownerId) === s.id) byOwner.delete(s.ownerId);
    await s.run.stop(reason);
    o.logger.info({ preview: s.id, owner: s.ownerId, reason }, 'preview stopped');
  }

  const sweeper = setInterval(() => {
    const t = now();
    for (const s of [...sessions.values()]) {
      if (s.streams === 0 && t - s.lastTouch >= limits.idleMs) void stopSession(s, 'idle');
    }
  }, Math.max(50, Math.min(30_000, Math.floor(limits.idleMs / 4))));
  sweeper.unref();

  async function startNow(ownerId: number, plan: PreviewPlan): Promise<{ session: PreviewSession; replaced: string | null }> {
    if (closed) throw new ApiError(503, 'studio-closing', { zh: '工作室正在关闭', en: 'the studio is closing' });
    const others = [...sessions.values()].filter((s) => s.ownerId !== ownerId).length;
    if (others >= limits.maxPreviews) {
      throw new ApiError(503, 'previews-busy', {
        zh: `工作室同时最多运行 ${limits.maxPreviews} 个预览，请稍后再试`,
        en: `the studio runs at most ${limits.maxPreviews} previews at a time; try again later`,
      });
    }
    const id = `pv_${randomBytes(9).toString('base64url')}`;
    const run = await startPreviewRun({
      content: plan.content, registry, profiles: o.profiles, speed: plan.speed, behaviour: plan.behaviour, seed: plan.seed,
      startAt: Date.now(), logger: o.logger.child({ preview: id }), limits,
    });
    const session: PreviewSession = {
      id, ownerId, source: plan.source, scenarios: plan.content.scenarios, parameters: plan.content.parameters,
      speed: plan.speed, behaviour: plan.behaviour, startedAt: now(), run, streams: 0, lastTouch: now(),
    };
    if (closed) {
      await run.stop('closed');
      throw new ApiError(503, 'studio-closing', { zh: '工作室正在关闭', en: 'the studio is closing' });
    }
    const previous = byOwner.get(ownerId);
    sessions.set(id, session);
    byOwner.set(ownerId, id);
    const old = previous === undefined ? undefined : sessions.get(previous);
    if (old) await stopSession(old, 'replaced');
    o.logger.info({ preview: id, owner: ownerId, template: plan.source.template, replaced: previous ?? null }, 'preview started');
    return { session, replaced: old ? old.id : null };
  }

  return {
    limits,
    async start(ownerId, plan) {
      const before = starting.get(ownerId);
      const mine = (async () => {
        await before?.catch(() => undefined);
        return startNow(ownerId, plan);
      })();
      starting.set(ownerId, mine);
      try {
        return await mine;
      } finally {
        if (starting.get(ownerId) === mine) starting.delete(ownerId);
      }
    },
    get(id, ownerId) {
      const s = sessions.get(id);
      if (!s || s.ownerId !== ownerId) return undefined;
      s.lastTouch = now();
      return s;
    },
    current(ownerId) {
      const id = byOwner.get(ownerId);
      return id === undefined ? undefined : sessions.get(id);
    },
    async stop(id, ownerId, reason) {
      const s = sessions.get(id);
      if (!s || s.ownerId !== ownerId) return false;
      await stopSession(s, reason);
      return true;
    },
    watch(session) {
      session.streams++;
      session.lastTouch = now();
      let open = true;
      return () => {
        if (!open) return;
        open = false;
        session.streams--;
        session.lastTouch = now();
      };
    },
    async close() {
      closed = true;
      clearInterval(sweeper);
      await Promise.allSettled([...starting.values()]);
      await Promise.all([...sessions.values()].map((s) => stopSession(s, 'closed')));
    },
  };
}
