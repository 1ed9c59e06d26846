import type { LimitDecision } from '../../state/limiter-store';

/** Go-style durations as OpenAI sends them: `250ms`, `1s`, `6m0s`, `1h2m3.5s`. */
export function formatReset(ms: number): string {
  const rounded = Math.max(0, Math.ceil(ms));
  if (rounded < 1000) return `${rounded}ms`;
  const hours = Math.floor(rounded / 3_600_000);
  const minutes = Math.floor((rounded % 3_600_000) / 60_000);
  const seconds = (rounded % 60_000) / 1000;
  const s = `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/, '')}s`;
  if (hours > 0) return `${hours}h${minutes}m${s}`;
  if (minutes > 0) return `${minutes}m${s}`;
  return s;
}

/** OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` for one limit. */
export function addRateHeaders(
  out: Record<string, string>,
  kind: 'requests' | 'tokens',
  decision: LimitDecision,
): void {
  out[`x-ratelimit-limit-${kind}`] = String(decision.limit);
  out[`x-ratelimit-remaining-${kind}`] = String(decision.remaining);
  out[`x-ratelimit-reset-${kind}`] = formatReset(decision.resetMs);
}

/** `Retry-After` in whole seconds (rounded up, at least 1) and `retry-after-ms`, which OpenAI's SDKs read. */
export function retryAfterHeaders(ms: number): Record<string, string> {
  const wait = Math.max(1, Math.ceil(ms));
  return { 'retry-after': String(Math.ceil(wait / 1000)), 'retry-after-ms': String(wait) };
}
