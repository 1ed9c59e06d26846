import type { RequestContext } from '../core/context';

export interface TokenCounts {
  readonly input: number;
  readonly output: number;
}

/** The part of usage accounting's admission (src/access) that statistics and metrics read. */
interface UsageFields {
  readonly admission?: {
    readonly usage?: { readonly promptTokens?: unknown; readonly completionTokens?: unknown };
  };
}

/**
 * The request's tokens, when usage accounting put them on the context
 * (`ctx.admission.usage`, set when the request is released, before the request listeners run).
 * The one place statistics and metrics read tokens from.
 */
export function requestTokens(ctx: RequestContext): TokenCounts | undefined {
  const usage = (ctx as UsageFields).admission?.usage;
  if (!usage) return undefined;
  const input = count(usage.promptTokens);
  const output = count(usage.completionTokens);
  if (input === 0 && output === 0) return undefined;
  return { input, output };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
