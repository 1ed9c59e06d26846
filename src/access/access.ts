import type { Config } from '../config/schema/index';
import type { RequestContext } from '../core/context';
import { randomBytes } from '../core/crypto';
import { GatewayError } from '../core/errors';
import type { ClientRequest } from '../http/types';
import type { ConcurrencyStore } from '../state/concurrency-store';
import type { LimiterStore, LocalLimiter } from '../state/limiter-store';
import { MemoryConcurrencyStore } from '../state/memory-concurrency-store';
import { MemoryLimiter } from '../state/memory-limiter';
import { MemoryLimiterStore } from '../state/memory-limiter-store';
import { MemoryQuotaCounterStore } from '../state/memory-quota-counter-store';
import type { QuotaCounterStore } from '../state/quota-counter-store';
import { Admission } from './admission';
import { type Client, isActive, type Principal } from './clients/client';
import type { ClientStore, StoredClient } from './clients/client-store';
import { ClientDirectory } from './clients/directory';
import { MemoryClientStore } from './clients/memory-client-store';
import { geminiCredential } from './credential';
import { presentedCredential } from './key-index';
import { ClientLimiter } from './limits/client-limits';
import { IpLimiter } from './limits/ip-limit';
import { type KeyGate, UpstreamKeyGate } from './limits/key-gate';
import { QuotaLedger, type UsageSource } from './limits/quota';
import { Prices } from './prices';
import { estimateRequest } from './usage/estimate';
import { UsageMeter } from './usage/meter';
import { NO_USAGE } from './usage/usage';

/**
 * The access steps of the lifecycle. `identify` runs before the body is read; `admit` once the
 * route and model are known; `release` once per request after the response, whatever happened
 * (completed, failed, refused or cancelled). Each throws a GatewayError to refuse (401, 403, 429).
 */
export interface AccessControl {
  /** True when no credential is configured: anyone may call the gateway. */
  readonly open: boolean;
  /** Asked by key selection before an upstream key is used (per-key limits). */
  readonly keyGate?: KeyGate;
  identify(ctx: RequestContext, req: Pick<ClientRequest, 'header'>): void;
  admit(ctx: RequestContext): void | Promise<void>;
  release(ctx: RequestContext): void;
  /** Whether the identified caller may use this model (`GET /v1/models` lists only those). */
  allowsModel(ctx: RequestContext, model: string): boolean;
  /** Takes a new configuration (reload); live state (limits, quotas, in-flight counts) is kept. */
  configure(config: Config): void;
}

export interface AccessOptions {
  /** Wall-clock milliseconds; a fake clock in tests. */
  readonly now?: () => number;
  /** Client rate limits (awaited in `admit`); may be shared between instances. */
  readonly limiter?: LimiterStore;
  /** The local view the synchronous checks decide on: per-IP limits and per-key limits. */
  readonly localLimiter?: LocalLimiter;
  /** Client requests in flight; may be shared between instances. */
  readonly concurrency?: ConcurrencyStore;
  /** The quota and budget counters; may be shared between instances. */
  readonly quotaCounters?: QuotaCounterStore;
  /** API-made clients; in memory unless a durable store is given. */
  readonly clientStore?: ClientStore;
  /** What clients used before this process started (quota and budget). */
  readonly usageSource?: UsageSource;
  /** The keyed-hash secret client tokens are stored under. */
  readonly hmacKey?: Uint8Array;
  readonly warn?: (message: string) => void;
}

/**
 * Access control for `server.auth_keys` and client tokens: identification, allowlists, per-IP
 * limits, client rate limits and concurrency, quotas and budgets, per-upstream-key limits, and
 * the usage meter that settles them all after the response.
 */
export class GatewayAccess implements AccessControl {
  readonly directory: ClientDirectory;
  readonly keyGate: UpstreamKeyGate;
  readonly clientStore: ClientStore;
  readonly ledger: QuotaLedger;
  readonly limiter: ClientLimiter;
  readonly now: () => number;
  private config!: Config;
  private ipLimiter: IpLimiter | undefined;
  private prices!: Prices;
  private meterEveryRequest = true;
  private built = false;
  /** The stored clients as last loaded: the local view `configure` rebuilds the directory from. */
  private stored: readonly StoredClient[] = [];
  /** False while the store has not answered (the directory then is never open). */
  private storedKnown = true;
  /** Settles once the stored clients are loaded; the adapter waits for it before it listens. */
  readonly ready: Promise<void>;
  private readonly local: LocalLimiter;
  /** Client settlements still running after `release` (shared stores answer later). */
  private readonly settling = new Set<Promise<void>>();
  private readonly warn: (message: string) => void;

  constructor(config: Config, options: AccessOptions = {}) {
    this.now = options.now ?? Date.now;
    this.local = options.localLimiter ?? new MemoryLimiter();
    this.clientStore = options.clientStore ?? new MemoryClientStore();
    this.directory = new ClientDirectory(options.hmacKey ?? randomKey());
    this.ledger = new QuotaLedger(
      options.usageSource ?? (() => ({ tokens: 0, cost: 0 })),
      options.quotaCounters ?? new MemoryQuotaCounterStore(),
    );
    this.limiter = new ClientLimiter(
      options.limiter ?? new MemoryLimiterStore(this.local),
      options.concurrency ?? new MemoryConcurrencyStore(),
    );
    this.keyGate = new UpstreamKeyGate(this.local, this.now);
    this.warn = options.warn ?? (() => {});
    this.configure(config);
    this.ready = this.loadClients(false);
    // Whoever awaits `ready` sees a failure; without this it would also be an unhandled rejection.
    this.ready.catch(() => {});
  }

  get open(): boolean {
    return this.directory.open;
  }

  configure(config: Config): void {
    this.config = config;
    this.ipLimiter = config.ip_limit ? new IpLimiter(config.ip_limit, this.local) : undefined;
    this.prices = new Prices(config.prices);
    this.meterEveryRequest = config.request_log.enabled || config.upstreams.some((u) => u.key_limits?.tpm);
    this.rebuildDirectory(true);
  }

  /** Loads the stored clients again and rebuilds the credential index (admin API writes). */
  reloadClients(): Promise<void> {
    return this.loadClients(true);
  }

  /**
   * A store that does not answer leaves the stored clients unknown: the gateway is then not
   * open (a request without a key might belong to a stored client's gateway), until they load.
   */
  private async loadClients(warnClosing: boolean): Promise<void> {
    try {
      this.stored = await this.clientStore.list();
    } catch (err) {
      if (this.storedKnown && this.stored.length === 0) {
        this.storedKnown = false;
        this.rebuildDirectory(false);
      }
      throw err;
    }
    this.storedKnown = true;
    this.rebuildDirectory(warnClosing);
  }

  private rebuildDirectory(warnClosing: boolean): void {
    const wasOpen = this.built && this.directory.open;
    const shadowed = this.directory.rebuild(this.config, this.stored, this.storedKnown);
    if (warnClosing && wasOpen && !this.directory.open) {
      this.warn('the gateway is no longer open: a client was added, so requests without a key now get 401');
    }
    this.built = true;
    for (const name of shadowed) {
      this.warn(`client "${name}" is defined in the configuration file and in the store; the file's wins`);
    }
  }

  identify(ctx: RequestContext, req: Pick<ClientRequest, 'header'>): void {
    const now = this.now();
    this.ipLimiter?.check(ctx.clientIp, now);
    if (this.directory.open) return;
    const credential = credentialOf(req) ?? geminiCredential(req, ctx.url);
    const principal = credential === undefined ? undefined : this.directory.find(credential);
    if (!principal || (principal.kind === 'client' && !isActive(principal, now))) {
      throw new GatewayError('invalid_api_key');
    }
    if (principal.kind === 'client' && principal.ipAllowlist && !principal.ipAllowlist.allows(ctx.clientIp)) {
      throw new GatewayError('ip_not_allowed');
    }
    ctx.client = principal;
  }

  async admit(ctx: RequestContext): Promise<void> {
    const admission = new Admission();
    ctx.admission = admission;
    const principal = ctx.client as Principal | undefined;
    const client = principal?.kind === 'client' ? principal : undefined;
    if (client) checkAllowlists(client, ctx);
    const completionEstimate = this.config.usage.completion_estimate;
    admission.estimator = () => estimateRequest(ctx.json, completionEstimate);
    if (client) await this.admitClient(ctx, client, admission);
    if (this.meterEveryRequest || (client && needsUsage(client))) this.attachMeter(ctx, admission);
  }

  allowsModel(ctx: RequestContext, model: string): boolean {
    return callerAllowsModel(ctx, model);
  }

  release(ctx: RequestContext): void {
    const admission = ctx.admission;
    if (!admission || admission.settled) return;
    admission.settled = true;
    const now = this.now();
    const usage = admission.meter ? admission.meter.finish(ctx) : NO_USAGE;
    admission.usage = usage;
    admission.sentModel = typeof ctx.json?.model === 'string' ? ctx.json.model : ctx.model;
    admission.cost = this.prices.cost(admission.sentModel ?? admission.meter?.servedModel, usage);
    const client = admission.client;
    if (client) {
      const settling = this.settleClient(client, admission, now);
      this.settling.add(settling);
      void settling.finally(() => this.settling.delete(settling));
    }
    const answered = admission.meter !== undefined && ctx.status >= 200 && ctx.status < 300;
    this.keyGate.settle(ctx, usage.totalTokens, answered);
  }

  /** Settles once every release so far has reached the stores (a drain, a test). */
  async settled(): Promise<void> {
    while (this.settling.size > 0) await Promise.all(this.settling);
  }

  /** The client's stores get the real figures; started here, finished off the request's path. */
  private async settleClient(client: Client, admission: Admission, now: number): Promise<void> {
    const tokens = admission.usage.totalTokens;
    const { limits } = admission;
    try {
      await Promise.all([
        limits && this.limiter.reconcile(client, limits, tokens, now),
        limits && this.limiter.release(client, limits),
        this.ledger.settle(client, admission.quota, tokens, admission.cost ?? 0, now),
      ]);
    } catch (err) {
      this.warn(`client "${client.name}": limits or quota could not be settled: ${(err as Error).message}`);
    }
  }

  private async admitClient(ctx: RequestContext, client: Client, admission: Admission): Promise<void> {
    const now = this.now();
    const { estimate } = admission;
    admission.client = client;
    admission.estimatedCost = this.prices.cost(ctx.model, { ...estimate, cachedTokens: 0 }) ?? 0;
    admission.quota = await this.ledger.reserve(client, estimate.totalTokens, admission.estimatedCost, now);
    try {
      admission.limits = await this.limiter.admit(client, estimate.totalTokens, now, ctx.replyHeaders);
    } catch (err) {
      await this.ledger.release(client, admission.quota, now);
      admission.quota = undefined;
      throw err;
    }
  }

  /**
   * Watches the committed response for usage. The attempt's provider may ask a stream for usage
   * the client did not ask for (`stream_options.include_usage`, src/providers/openai/); the meter
   * then removes that usage again before the client sees it.
   */
  private attachMeter(ctx: RequestContext, admission: Admission): void {
    const meter = new UsageMeter();
    admission.meter = meter;
    ctx.streamUsage = ctx.stream && this.config.usage.stream_usage;
    ctx.observeResponse = (addedStreamUsage) => meter.forAttempt(addedStreamUsage);
  }
}

/** The caller's model allowlist, when it is a client that has one. */
export function callerAllowsModel(ctx: RequestContext, model: string): boolean {
  const principal = ctx.client as Principal | undefined;
  return principal?.kind !== 'client' || !principal.models || principal.models.test(model);
}

function checkAllowlists(client: Client, ctx: RequestContext): void {
  if (client.models) {
    const allowed =
      ctx.model === undefined ? ctx.method === 'GET' || ctx.method === 'HEAD' : client.models.test(ctx.model);
    if (!allowed) {
      throw new GatewayError('model_not_allowed', {
        message:
          ctx.model === undefined
            ? 'This API key may only use certain models, and the request names none.'
            : `This API key may not use the model "${ctx.model}".`,
        param: 'model',
      });
    }
  }
  if (client.routes && ctx.route && !client.routes.has(ctx.route.name)) {
    throw new GatewayError('route_not_allowed');
  }
}

function needsUsage(client: Client): boolean {
  const { limits, quota, budget } = client.settings;
  return limits.tpm !== undefined || quota !== undefined || budget !== undefined;
}

function randomKey(): Uint8Array {
  return randomBytes(32);
}

/** The credential a client presented: `Authorization: Bearer`, `x-api-key` or `api-key`. */
export function credentialOf(req: Pick<ClientRequest, 'header'>): string | undefined {
  return presentedCredential(req.header('authorization'), req.header('x-api-key'), req.header('api-key'));
}
