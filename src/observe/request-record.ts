import type { RequestContext } from '../core/context';

/** One row of the request log: a finished request with its attempts, and never a secret. */
export interface RequestRecord {
  readonly ts: number;
  readonly request_id: string;
  readonly client: string | null;
  readonly route: string | null;
  readonly upstream: string | null;
  /** The upstream key's fingerprint (a hash prefix), never the key. */
  readonly key_fp: string | null;
  readonly method: string;
  readonly path: string;
  readonly model: string | null;
  readonly sent_model: string | null;
  /** 499 when the client went away first. */
  readonly status: number;
  readonly verdict: string | null;
  readonly duration_ms: number;
  readonly ttfb_ms: number | null;
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly cached_tokens: number;
  readonly total_tokens: number;
  readonly tokens_estimated: 0 | 1;
  readonly cost: number | null;
  readonly stream: 0 | 1;
  readonly client_ip: string;
  readonly user_agent: string | null;
  readonly error: string | null;
  /** JSON: `[{upstream, key_fp, status, verdict, duration_ms, ttfb_ms, error, format}]`. */
  readonly attempts: string;
  /** `hit`, `miss` or `bypass` on routes with the response cache; null elsewhere. */
  readonly cache: string | null;
  /** On a cache hit: the tokens and cost the stored answer took when it was made (nothing was charged). */
  readonly saved_tokens: number;
  readonly saved_cost: number | null;
}

/**
 * Builds the request log row at the end of a request; `redact` masks secrets in every text a
 * client or upstream chose (path, models, user agent, errors), as the logger does on its lines.
 */
export function requestRecord(
  ctx: RequestContext,
  now: number,
  redact: (text: string) => string,
): RequestRecord {
  const durationMs = ctx.durationMs();
  const last = ctx.attempts[ctx.attempts.length - 1];
  const admission = ctx.admission;
  const usage = admission?.usage;
  return {
    ts: Math.round(now - durationMs),
    request_id: ctx.id,
    client: ctx.client?.name ?? null,
    route: ctx.route?.name ?? null,
    upstream: ctx.upstream?.name ?? last?.upstream ?? null,
    key_fp: ctx.key?.id ?? last?.keyId ?? null,
    method: ctx.method,
    path: redact(ctx.path),
    model: ctx.model === undefined ? null : redact(ctx.model),
    sent_model: admission?.sentModel === undefined ? null : redact(admission.sentModel),
    status: ctx.cancelled ? 499 : ctx.status,
    verdict: ctx.verdict ?? null,
    duration_ms: round(durationMs),
    ttfb_ms: ctx.ttfbMs === undefined ? null : round(ctx.ttfbMs),
    prompt_tokens: usage?.promptTokens ?? 0,
    completion_tokens: usage?.completionTokens ?? 0,
    cached_tokens: usage?.cachedTokens ?? 0,
    total_tokens: usage?.totalTokens ?? 0,
    tokens_estimated: usage?.estimated ? 1 : 0,
    cost: admission?.cost ?? null,
    stream: ctx.stream ? 1 : 0,
    client_ip: ctx.clientIp,
    user_agent: ctx.userAgent ? redact(ctx.userAgent) : null,
    error: ctx.error === undefined ? null : redact(ctx.error).slice(0, 2000),
    attempts: JSON.stringify(
      ctx.attempts.map((attempt) => ({
        upstream: attempt.upstream,
        key_fp: attempt.keyId,
        status: attempt.status,
        verdict: attempt.verdict,
        duration_ms: round(attempt.durationMs),
        ttfb_ms: attempt.ttfbMs === undefined ? null : round(attempt.ttfbMs),
        error: attempt.error === undefined ? null : redact(attempt.error).slice(0, 500),
        format: attempt.format ?? null,
      })),
    ),
    cache: ctx.cache?.result ?? null,
    saved_tokens: ctx.cache?.savedTokens ?? 0,
    saved_cost: ctx.cache?.savedCost ?? null,
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
