import { usageInBody } from '../access/usage/usage';
import type { Config } from '../config/schema/index';
import type { RequestContext } from '../core/context';
import type { ClientRequest, ClientSink } from '../http/types';
import type { Route } from '../routing/route';
import { cacheKey } from './key';
import { MemoryCacheStore } from './memory-store';
import { bypassRequested, cachePolicy, isModelList } from './policy';
import { CacheRecorder } from './recorder';
import { CACHE_HEADER, replay } from './replay';
import type { CacheEntry, CacheStore, PurgeFilter } from './store';

/** The largest answer stored (and recorded while it streams), whatever `max_size` allows. */
export const MAX_ENTRY_BYTES = 8 * 1024 * 1024;

interface Pending {
  readonly key: string;
  readonly ttl: number;
  recorder?: CacheRecorder;
}

export interface CacheCounters {
  hits: number;
  misses: number;
  bypasses: number;
  stores: number;
  savedTokens: number;
  savedCost: number;
}

/** Told about every answered request the cache took part in (metrics). */
export type CacheListener = (ctx: RequestContext) => void;

/**
 * The exact-match response cache (`cache:`, `routes[].cache`, `models_cache_ttl`). Two steps
 * of the lifecycle call it: `prepare` once the route is known (the key is taken from the body
 * the route produced, before access control adds anything) and `serve` once the request is
 * admitted (a hit answers here and costs no upstream call and no quota). A miss records the
 * answer on its way to the client; `afterRequest` stores it when it was a complete 2xx.
 */
export class ResponseCache {
  readonly counters: CacheCounters = {
    hits: 0,
    misses: 0,
    bypasses: 0,
    stores: 0,
    savedTokens: 0,
    savedCost: 0,
  };
  readonly listeners: CacheListener[] = [];
  private readonly pending = new WeakMap<RequestContext, Pending>();
  private config: Config;

  constructor(
    config: Config,
    private readonly now: () => number,
    readonly store: CacheStore = new MemoryCacheStore(config.cache.max_size, now),
  ) {
    this.config = config;
  }

  configure(config: Config): void {
    this.config = config;
    this.store.resize(config.cache.max_size);
  }

  prepare(ctx: RequestContext, req: Pick<ClientRequest, 'header'>, route: Route): void {
    const policy = cachePolicy(this.config, route, ctx);
    if (!policy) return;
    const cacheable = isModelList(ctx) || (ctx.method === 'POST' && ctx.json !== undefined);
    if (!cacheable || bypassRequested(req.header('cache-control'))) {
      ctx.cache = { result: 'bypass', savedTokens: 0, savedCost: null };
      ctx.replyHeaders[CACHE_HEADER] = 'bypass';
      return;
    }
    const key = cacheKey({
      scope: policy.scope,
      client: ctx.client?.name,
      route: route.name,
      method: ctx.method,
      url: ctx.url,
      json: ctx.json ?? null,
      header: (name) => req.header(name),
    });
    this.pending.set(ctx, { key, ttl: policy.ttl });
  }

  /**
   * Answers from the cache when it holds the request's entry; resolves true when it did. Plain
   * `false` (no promise, no extra turn) for requests the cache does not look up.
   */
  serve(ctx: RequestContext, sink: ClientSink): Promise<boolean> | false {
    const pending = this.pending.get(ctx);
    return pending ? this.lookUp(ctx, sink, pending) : false;
  }

  private async lookUp(ctx: RequestContext, sink: ClientSink, pending: Pending): Promise<boolean> {
    const entry = await this.store.get(pending.key);
    if (entry) {
      this.pending.delete(ctx);
      ctx.cache = { result: 'hit', savedTokens: entry.tokens, savedCost: entry.cost };
      replay(sink, ctx, entry, this.now());
      return true;
    }
    ctx.cache = { result: 'miss', savedTokens: 0, savedCost: null };
    ctx.replyHeaders[CACHE_HEADER] = 'miss';
    const limit = Math.min(MAX_ENTRY_BYTES, this.config.cache.max_size);
    const inner = ctx.observeResponse;
    // The committed attempt's observer records what the client receives, around the usage meter.
    ctx.observeResponse = (addedStreamUsage) => {
      pending.recorder = new CacheRecorder(inner?.(addedStreamUsage), limit);
      return pending.recorder;
    };
    return false;
  }

  /** A request listener: counts the outcome and stores a miss's complete 2xx answer. */
  readonly afterRequest = (ctx: RequestContext): void => {
    const mark = ctx.cache;
    if (!mark) return;
    if (mark.result === 'hit') {
      this.counters.hits++;
      this.counters.savedTokens += mark.savedTokens;
      this.counters.savedCost += mark.savedCost ?? 0;
    } else if (mark.result === 'bypass') this.counters.bypasses++;
    else {
      this.counters.misses++;
      this.storeAnswer(ctx);
    }
    for (const listener of this.listeners) listener(ctx);
  };

  purge(filter?: PurgeFilter): Promise<number> {
    return this.store.purge(filter);
  }

  private storeAnswer(ctx: RequestContext): void {
    const pending = this.pending.get(ctx);
    this.pending.delete(ctx);
    const recorder = pending?.recorder;
    const body = recorder?.body();
    if (!pending || !recorder || !body || ctx.cancelled || ctx.status < 200 || ctx.status > 299) return;
    const now = this.now();
    const usage = ctx.admission?.usage;
    const tokens =
      usage && usage.totalTokens > 0
        ? usage.totalTokens
        : recorder.stream
          ? 0
          : (usageInBody(body)?.totalTokens ?? 0);
    const entry: CacheEntry = {
      status: recorder.status,
      contentType: recorder.contentType,
      body,
      stream: recorder.stream,
      route: ctx.route?.name ?? '',
      model: ctx.admission?.sentModel ?? (typeof ctx.json?.model === 'string' ? ctx.json.model : null),
      tokens,
      cost: ctx.admission?.cost ?? null,
      storedAt: now,
      expiresAt: now + pending.ttl,
    };
    this.counters.stores++;
    void this.store.set(pending.key, entry);
  }
}
