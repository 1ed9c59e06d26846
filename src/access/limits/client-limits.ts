import { GatewayError } from '../../core/errors';
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
 * count released when the request ends, however it ends.
 */
export class ClientLimiter {
  private readonly running = new Map<string, number>();

  constructor(private readonly store: LimiterStore) {}

  /** Takes one request and `tokens` from the client's limits; throws 429 with headers when over. */
  admit(client: Client, tokens: number, now: number, headers: Record<string, string>): LimitHold {
    const { rpm, tpm, concurrency } = client.settings.limits;
    const hold: LimitHold = { rpmTicket: 0, tpmTicket: 0, tpmTaken: 0, concurrency: false };
    if (concurrency !== undefined && (this.running.get(client.name) ?? 0) >= concurrency) {
      throw new GatewayError('concurrency_limit_exceeded', {
        message: `This API key already has ${concurrency} requests in flight (its concurrency limit); retry when one finishes.`,
        headers: retryAfterHeaders(1000),
      });
    }
    const rpmRule = rpm ? rule(rpm) : undefined;
    const tpmRule = tpm ? rule(tpm) : undefined;
    const requests = rpmRule ? this.store.take(rpmKey(client), rpmRule, 1, now) : undefined;
    if (requests && !requests.allowed) {
      throw refusal('requests', requests, tpmRule && this.store.peek(tpmKey(client), tpmRule, now));
    }
    const taken = tpmRule ? Math.min(Math.max(tokens, 1), tpmRule.limit) : 0;
    const tokensDecision = tpmRule ? this.store.take(tpmKey(client), tpmRule, taken, now) : undefined;
    if (tokensDecision && !tokensDecision.allowed) {
      if (requests && rpmRule) this.store.adjust(rpmKey(client), rpmRule, requests.ticket, -1, now);
      const after = rpmRule ? this.store.peek(rpmKey(client), rpmRule, now) : undefined;
      throw refusal('tokens', tokensDecision, after);
    }
    if (requests) addRateHeaders(headers, 'requests', requests);
    if (tokensDecision) addRateHeaders(headers, 'tokens', tokensDecision);
    hold.rpmTicket = requests?.ticket ?? 0;
    hold.tpmTicket = tokensDecision?.ticket ?? 0;
    hold.tpmTaken = tokensDecision ? taken : 0;
    if (concurrency !== undefined) {
      this.running.set(client.name, (this.running.get(client.name) ?? 0) + 1);
      hold.concurrency = true;
    }
    return hold;
  }

  /** Corrects the tokens taken with what the request really used. */
  reconcile(client: Client, hold: LimitHold, tokens: number, now: number): void {
    const tpm = client.settings.limits.tpm;
    if (!tpm || hold.tpmTicket === 0) return;
    this.store.adjust(tpmKey(client), rule(tpm), hold.tpmTicket, tokens - hold.tpmTaken, now);
  }

  release(client: Client, hold: LimitHold): void {
    if (!hold.concurrency) return;
    hold.concurrency = false;
    const count = (this.running.get(client.name) ?? 1) - 1;
    if (count <= 0) this.running.delete(client.name);
    else this.running.set(client.name, count);
  }

  inFlight(client: string): number {
    return this.running.get(client) ?? 0;
  }
}

function rule(limit: number): LimitRule {
  return { algorithm: 'gcra', limit, periodMs: MINUTE };
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
