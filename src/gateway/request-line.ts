import type { RequestContext } from '../core/context';
import type { Logger } from '../observe/logger';

/**
 * The one structured log line per request. Every text field a client, an upstream or the
 * configuration chose passes through `redact` (the redactor's remembered field pass), so the
 * line is written without a second scan (`Logger.infoRedacted`); the rest are numbers, the
 * method, a masked key, a verdict and the id the gateway generated.
 */
export function logRequest(logger: Logger, ctx: RequestContext, redact: (text: string) => string): void {
  if (!logger.isLevelEnabled('info')) return;
  const durationMs = ctx.durationMs();
  const last = ctx.attempts[ctx.attempts.length - 1];
  const upstream = ctx.upstream?.name ?? last?.upstream;
  const fields = {
    req_id: ctx.idGiven ? redact(ctx.id) : ctx.id,
    method: redact(ctx.method),
    path: redact(ctx.path),
    status: ctx.cancelled ? 499 : ctx.status,
    duration_ms: round(durationMs),
    ttfb_ms: ctx.ttfbMs === undefined ? undefined : round(ctx.ttfbMs),
    route: optional(ctx.route?.name, redact),
    upstream: optional(upstream, redact),
    key: ctx.key?.masked ?? last?.key ?? undefined,
    model: optional(ctx.model, redact),
    sent_model: optional(ctx.sentModel, redact),
    group: optional(ctx.routeGroup, redact),
    stream: ctx.stream || undefined,
    attempts: ctx.attempts.length > 1 ? ctx.attempts.length : undefined,
    verdict: ctx.verdict,
    client_ip: redact(ctx.clientIp),
    user_agent: ctx.userAgent ? redact(ctx.userAgent) : undefined,
    error: optional(ctx.error, redact),
  };
  if (logger.infoRedacted) logger.infoRedacted(fields, 'request');
  else logger.info(fields, 'request');
}

function optional(text: string | undefined, redact: (text: string) => string): string | undefined {
  return text === undefined ? undefined : redact(text);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
