import type { Json } from '../codec';
import type { IrStop, IrUsage } from '../ir';
import { num, obj } from '../translate/json';

/** Responses' `input_tokens` includes cached tokens (as Chat's `prompt_tokens` does); the IR keeps them apart. */
export function responsesUsage(value: unknown): Partial<IrUsage> {
  const usage = obj(value);
  if (!usage) return {};
  const input = num(usage.input_tokens) ?? 0;
  const cached = num(obj(usage.input_tokens_details)?.cached_tokens) ?? 0;
  return {
    inputUncached: Math.max(0, input - cached),
    cacheRead: cached,
    cacheWrite: 0,
    output: num(usage.output_tokens) ?? 0,
    reasoning: num(obj(usage.output_tokens_details)?.reasoning_tokens) ?? 0,
  };
}

export function responsesUsageOut(usage: IrUsage): Json {
  const input = usage.inputUncached + usage.cacheRead + usage.cacheWrite;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cacheRead },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: usage.reasoning },
    total_tokens: input + usage.output,
  };
}

/** A response's `status` and `incomplete_details` for a stop reason. */
export function statusOf(stop: IrStop): {
  status: 'completed' | 'incomplete';
  incomplete_details: Json | null;
} {
  if (stop === 'max_tokens')
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (stop === 'content_filter')
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

/** A stop reason from a response's status (calls made: `tool_use`). */
export function stopOf(status: unknown, incomplete: unknown, calledTools: boolean): IrStop {
  if (status === 'incomplete') {
    const reason = obj(incomplete)?.reason;
    return reason === 'content_filter' ? 'content_filter' : 'max_tokens';
  }
  return calledTools ? 'tool_use' : 'end';
}
