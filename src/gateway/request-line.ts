import type { RequestContext } from '../core/context';
import type { Logger } from '../observe/logger';

/** The one structured log line per request. */
export function logRequest(logger: Logger, ctx: RequestContext): void {
  if (!logger.isLevelEnabled('info')) return;
  const durationMs = performance.now() - ctx.startedAt;
  logger.info(
    {
      req_id: ctx.id,
      method: ctx.method,
      path: ctx.path,
      status: ctx.cancelled ? 499 : ctx.status,
      duration_ms: round(durationMs),
      ttfb_ms: ctx.ttfbMs === undefined ? undefined : round(ctx.ttfbMs),
      route: ctx.route?.name,
      upstream: ctx.upstream?.name ?? ctx.attempts[ctx.attempts.length - 1]?.upstream,
      key: ctx.key?.masked ?? ctx.attempts[ctx.attempts.length - 1]?.key ?? undefined,
      model: ctx.model,
      sent_model: ctx.sentModel,
      group: ctx.routeGroup,
      stream: ctx.stream || undefined,
      attempts: ctx.attempts.length > 1 ? ctx.attempts.length : undefined,
      verdict: ctx.verdict,
      client_ip: ctx.clientIp,
      user_agent: ctx.userAgent || undefined,
      error: ctx.error,
    },
    'request',
  );
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
