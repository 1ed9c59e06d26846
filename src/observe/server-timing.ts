import type { RequestContext } from '../core/context';

/**
 * `Server-Timing` for an answer the gateway made itself (an error, the model list): all its time is the
 * gateway's, except what earlier attempts spent waiting on upstreams.
 */
export function errorServerTiming(ctx: RequestContext): string {
  const total = performance.now() - ctx.startedAt;
  const gateway = Math.max(0, total - ctx.upstreamMs);
  const own = `gateway;dur=${gateway.toFixed(2)}`;
  return ctx.upstreamMs > 0 ? `${own}, upstream;dur=${ctx.upstreamMs.toFixed(2)}` : own;
}
