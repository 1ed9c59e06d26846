import type { KeyLimits } from '../../config/schema/key-limits';
import type { RequestContext } from '../../core/context';
import { GatewayError } from '../../core/errors';
import type { UpstreamKey } from '../../routing/key-pool';
import type { Upstream } from '../../routing/upstream';
import type { LimitRule, LocalLimiter } from '../../state/limiter-store';
import { retryAfterHeaders } from './rate-headers';

const MINUTE = 60_000;

/**
 * Asked by key selection (ProxyDeps.keyGate) before a key is used: true claims the key for this
 * attempt; false skips it, so the next usable key is tried.
 */
export interface KeyGate {
  claim(ctx: RequestContext, upstream: Upstream, key: UpstreamKey): boolean;
  /** The refusal to send when selection found nothing because keys were at their limits. */
  refusal(ctx: RequestContext): GatewayError | undefined;
}

/**
 * `upstreams[].key_limits`: pre-emptive RPM and TPM per upstream key, in sliding windows so no
 * 60-second window ever holds more than the provider allows, whatever the provider's own
 * algorithm. A key at its limit is skipped; when every key is, the client gets 429 with the
 * time until the first frees up.
 */
export class UpstreamKeyGate implements KeyGate {
  constructor(
    private readonly store: LocalLimiter,
    private readonly now: () => number,
  ) {}

  claim(ctx: RequestContext, upstream: Upstream, key: UpstreamKey): boolean {
    const limits = upstream.config.key_limits;
    if (!limits) return true;
    const admission = ctx.admission;
    const now = this.now();
    const rpm = limits.rpm ? rule(limits.rpm) : undefined;
    const tpm = limits.tpm ? rule(limits.tpm) : undefined;
    const requests = rpm ? this.store.take(keyName('rpm', upstream, key), rpm, 1, now) : undefined;
    if (requests && !requests.allowed) return this.skip(ctx, requests.retryAfterMs);
    const tokens = tpm ? Math.min(Math.max(admission?.estimate.totalTokens ?? 1, 1), tpm.limit) : 0;
    const taken = tpm ? this.store.take(keyName('tpm', upstream, key), tpm, tokens, now) : undefined;
    if (taken && !taken.allowed) {
      if (requests && rpm) this.store.adjust(keyName('rpm', upstream, key), rpm, requests.ticket, -1, now);
      return this.skip(ctx, taken.retryAfterMs);
    }
    if (admission && taken) {
      admission.keyClaims ??= [];
      admission.keyClaims.push({ upstream, key, tpmTicket: taken.ticket, tpmTaken: tokens });
    }
    return true;
  }

  refusal(ctx: RequestContext): GatewayError | undefined {
    const wait = ctx.admission?.keyWaitMs;
    if (wait === undefined) return undefined;
    return new GatewayError('all_keys_rate_limited', { headers: retryAfterHeaders(wait) });
  }

  /**
   * After the response: the committed key's token window gets the real count. A failed
   * request keeps its reservation (the provider may have counted it).
   */
  settle(ctx: RequestContext, tokens: number, reported: boolean): void {
    const claims = ctx.admission?.keyClaims;
    if (!claims || !reported) return;
    const now = this.now();
    for (const claim of claims) {
      if (claim.key !== ctx.key) continue;
      const tpm = claim.upstream.config.key_limits?.tpm;
      if (!tpm) continue;
      this.store.adjust(
        keyName('tpm', claim.upstream, claim.key),
        rule(tpm),
        claim.tpmTicket,
        tokens - claim.tpmTaken,
        now,
      );
    }
  }

  private skip(ctx: RequestContext, waitMs: number): false {
    const admission = ctx.admission;
    if (admission) admission.keyWaitMs = Math.min(admission.keyWaitMs ?? Number.POSITIVE_INFINITY, waitMs);
    return false;
  }
}

function rule(limit: number): LimitRule {
  return { algorithm: 'sliding-window', limit, periodMs: MINUTE };
}

function keyName(kind: keyof KeyLimits, upstream: Upstream, key: UpstreamKey): string {
  return `key:${kind}:${upstream.name}:${key.id}`;
}
