import type { IpLimitConfig } from '../../config/schema/access';
import { GatewayError } from '../../core/errors';
import type { LimitRule, LocalLimiter } from '../../state/limiter-store';
import { addRateHeaders, retryAfterHeaders } from './rate-headers';

/**
 * `ip_limit`: every API request counts against its client IP in a sliding window; an address
 * over the limit is refused for the whole block time. Checked before the credential, so it
 * also slows down key guessing. For open deployments above all.
 */
export class IpLimiter {
  private readonly rule: LimitRule;

  constructor(
    config: IpLimitConfig,
    private readonly store: LocalLimiter,
  ) {
    this.rule = {
      algorithm: 'sliding-window',
      limit: config.requests,
      periodMs: config.window,
      blockMs: config.block,
    };
  }

  check(ip: string, now: number): void {
    const decision = this.store.take(`ip:${ip}`, this.rule, 1, now);
    if (decision.allowed) return;
    const headers = retryAfterHeaders(decision.retryAfterMs);
    addRateHeaders(headers, 'requests', decision);
    throw new GatewayError('rate_limit_exceeded', {
      message: `Too many requests from this IP address: more than ${this.rule.limit} in ${this.rule.periodMs / 1000}s. Blocked for ${Math.ceil(decision.retryAfterMs / 1000)}s.`,
      headers,
    });
  }
}
