import type { RequestContext } from '../core/context';

export interface TokenCounts {
  readonly input: number;
  readonly output: number;
}

/**
 * What usage accounting found in the response, when it is on the context: `ctx.usage` with
 * OpenAI's (`prompt_tokens`, `completion_tokens`) or Anthropic's (`input_tokens`,
 * `output_tokens`) names. The one place statistics and metrics read tokens from.
 */
export function requestTokens(ctx: RequestContext): TokenCounts | undefined {
  const usage = (ctx as { usage?: unknown }).usage;
  if (usage === null || typeof usage !== 'object') return undefined;
  const fields = usage as Record<string, unknown>;
  const input = count(fields.prompt_tokens ?? fields.input_tokens);
  const output = count(fields.completion_tokens ?? fields.output_tokens);
  if (input === 0 && output === 0) return undefined;
  return { input, output };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
