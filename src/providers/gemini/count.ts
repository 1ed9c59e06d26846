import type { RequestContext } from '../../core/context';
import { estimateInputTokens } from '../translate/estimate';
import { obj } from '../translate/json';
import { parseGenerateRequest } from './request';

/**
 * Gemini's `countTokens` answered locally (no Gemini upstream to ask): the contents, or the
 * whole `generateContentRequest` with its system instruction and tools, counted by the gateway.
 */
export function estimateGeminiCount(ctx: RequestContext): { totalTokens: number } {
  const json = ctx.json ?? {};
  const request = parseGenerateRequest(obj(json.generateContentRequest) ?? json);
  return { totalTokens: estimateInputTokens(request) };
}
