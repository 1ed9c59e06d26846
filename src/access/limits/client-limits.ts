import { GatewayError } from '../../core/errors';
import type { ConcurrencyStore } from '../../state/concurrency-store';
import type { LimitDecision, LimiterStore, LimitRule } from '../../state/limiter-store';
import type { Client } from '../clients/client';
import { addRateHeaders, retryAfterHeaders } from './rate-headers';

const MINUTE = 60_000;

/** What a client's admission took from its limits, to give back or reconcile later. */
export interface LimitHold {
  rpmTicket: number;
  tpmTicket: number;
  tpmTaken: number;
  concurrency: boolean;
}

/**
 * A client's `limits`: requests and tokens per minute in two separate GCRA states (a request
 * refused for tokens never uses up request allowance, and the reverse), and a concurrency
 * count released when the request ends, however it ends. Both live in stores that may be
 * shared (and remote), so every call is awaited.
 */
export class ClientLimiter {
  constructor(
    private readonly store: LimiterStore,
    private readonly running: ConcurrencyStore,
  ) {}

  /** Takes one request and `tokens` from the client's limits; throws 429 with headers when over. */
  async admit(
    client: Client,
    tokens: number,
    now: number,
    headers: Record<string, string>,
  ): Promise<LimitHold> {
    const { concurrency } = client.settings.limits;
    const hold: LimitHold = { rpmTicket: 0, tpmTicket: 0, tpmTaken: 0, concurrency: false };
    if (concurrency !== undefined && !(await this.running.acquire(runningKey(client), concurrency))) {
      throw new GatewayError('concurrency_limit_exceeded', {
        message: `This API key already has ${concurrency} requests in flight (its concurrency limit); retry when one finishes.`,
        headers: retryAfterHeaders(1000),
      });
    }
    hold.concurrency = concurrency !== undefined;
    try {
      await this.takeRates(client, tokens, now, headers, hold);
    } catch (err) {
      await this.release(client, hold);
      throw err;
    }
    return hold;
  }

  private async takeRates(
    client: Client,
    tokens: number,
    now: number,
    headers: Record<string, string>,
    hold: LimitHold,
  ): Promise<void> {
    const { rpm, tpm } = client.settings.limits;
    const rpmRule = rpm ? rule(rpm) : undefined;
    const tpmRule = tpm ? rule(tpm) : undefined;
    const requests = rpmRule ? await this.store.take(rpmKey(client), rpmRule, 1, now) : undefined;
    if (requests && !requests.allowed) {
      throw refusal('requests', requests, tpmRule && (await this.store.peek(tpmKey(client), tpmRule, now)));
    }
    const taken = tpmRule ? Math.min(Math.max(tokens, 1), tpmRule.limit) : 0;
    const tokensDecision = tpmRule ? await this.store.take(tpmKey(client), tpmRule, taken, now) : undefined;
    if (tokensDecision && !tokensDecision.allowed) {
      if (requests && rpmRule) await this.store.adjust(rpmKey(client), rpmRule, requests.ticket, -1, now);
      const after = rpmRule ? await this.store.peek(rpmKey(client), rpmRule, now) : undefined;
      throw refusal('tokens', tokensDecision, after);
    }
    if (requests) addRateHeaders(headers, 'requests', requests);
    if (tokensDecision) addRateHeaders(headers, 'tokens', tokensDecision);
    hold.rpmTicket = requests?.ticket ?? 0;
    hold.tpmTicket = tokensDecision?.ticket ?? 0;
    hold.tpmTaken = tokensDecision ? taken : 0;
  }

  /** Corrects the tokens taken with what the request really used. */
  async reconcile(client: Client, hold: LimitHold, tokens: number, now: number): Promise<void> {
    const tpm = client.settings.limits.tpm;
    if (!tpm || hold.tpmTicket === 0) return;
    await this.store.adjust(tpmKey(client), rule(tpm), hold.tpmTicket, tokens - hold.tpmTaken, now);
  }

  async release(client: Client, hold: LimitHold): Promise<void> {
    if (!hold.concurrency) return;
    hold.concurrency = false;
    await this.running.release(runningKey(client));
  }

  inFlight(client: string): Promise<number> {
    return this.running.count(runningKey(client));
  }
}

function rule(limit: number): LimitRule {
  return { algorithm: 'gcra', limit, periodMs: MINUTE };
}

function runningKey(client: Client | string): string {
  return `client:${typeof client === 'string' ? client : client.name}`;
}

function rpmKey(client: Client): string {
  return `client:rpm:${client.name}`;
}

function tpmKey(client: Client): string {
  return `client:tpm:${client.name}`;
}

function refusal(
  kind: 'requests' | 'tokens',
  decision: LimitDecision,
  other: LimitDecision | undefined,
): GatewayError {
  const headers: Record<string, string> = { ...retryAfterHeaders(decision.retryAfterMs) };
  addRateHeaders(headers, kind, decision);
  if (other) addRateHeaders(headers, kind === 'requests' ? 'tokens' : 'requests', other);
  const unit = kind === 'requests' ? 'requests per minute (RPM)' : 'tokens per minute (TPM)';
  const seconds = Math.ceil(decision.retryAfterMs / 100) / 10;
  return new GatewayError('rate_limit_exceeded', {
    message: `Rate limit reached for this API key on ${unit}: limit ${decision.limit}, remaining ${decision.remaining}. Please try again in ${seconds}s.`,
    headers,
  });
}
