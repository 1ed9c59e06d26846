import type { RequestContext } from '../core/context';
import type { Verdict } from '../health/verdict';
import type { Logger } from './logger';

/** Verdicts an operator should hear about at once; the rest (429 storms, client errors) at debug. */
const WARN: ReadonlySet<Verdict> = new Set(['invalid_key', 'quota_exhausted', 'upstream_fault']);

/**
 * A request listener that logs each failed upstream attempt with the start of the upstream's
 * error body: the one place upstream error text reaches the logs (redacted like every line).
 */
export function attemptLogger(logger: Logger): (ctx: RequestContext) => void {
  return (ctx) => {
    for (const attempt of ctx.attempts) {
      if (attempt.verdict === 'success' || attempt.verdict === 'client_cancelled') continue;
      const level = WARN.has(attempt.verdict) ? 'warn' : 'debug';
      if (!logger.isLevelEnabled(level)) continue;
      logger[level](
        {
          req_id: ctx.id,
          upstream: attempt.upstream,
          key: attempt.key ?? undefined,
          status: attempt.status || undefined,
          verdict: attempt.verdict,
          error: attempt.error,
        },
        'upstream attempt failed',
      );
    }
  };
}
