import type { RequestContext } from '../../core/context';
import { utf8 } from '../../http/bytes';
import type { FlatHeaders } from '../../http/types';
import { type AttemptInput, attemptRequest } from '../attempt';
import type { Codec } from '../codec';
import { withoutSignatures } from '../gemini/ids';
import type { IrRequest } from '../ir';
import { serverStateField } from '../responses/state';
import type { PreparedAttempt } from '../types';
import { estimateInputTokens } from './estimate';
import { clientCodec, type GenerationApi, upstreamCodec } from './formats';
import { ResponseTranslator } from './translator';

/**
 * A request the upstream's format cannot carry (no codec yet): nothing is sent to it, and the
 * exchange tries another upstream of the route.
 */
export class UntranslatableError extends Error {
  override name = 'UntranslatableError';
  /** The gateway error the client gets when no upstream of the route can take the request. */
  readonly code: 'request_not_forwardable' | 'n_unsupported';

  constructor(message: string, code: UntranslatableError['code'] = 'request_not_forwardable') {
    super(message);
    this.code = code;
  }
}

/** Formats that give one answer per request: `n` > 1 cannot be translated to them. */
const ONE_CHOICE: ReadonlySet<string> = new Set(['anthropic', 'gemini']);

/** The client request in IR, parsed once per request (every attempt reuses it). */
const parsed = new WeakMap<RequestContext, { request: IrRequest; estimatedInput: number }>();

export function irOf(ctx: RequestContext, codec: Codec): { request: IrRequest; estimatedInput: number } {
  let entry = parsed.get(ctx);
  if (!entry) {
    const decoded = codec.parseRequest(ctx.json ?? {});
    // Gemini names the model and streaming in the path, not the body.
    const model = decoded.model || (ctx.sentModel ?? ctx.model ?? '');
    const request = { ...decoded, model, stream: decoded.stream || ctx.stream };
    entry = { request, estimatedInput: estimateInputTokens(request) };
    parsed.set(ctx, entry);
  }
  return entry;
}

/** Replaces the request's IR once a pass before the attempts changed it (images inlined). */
export function replaceIr(ctx: RequestContext, request: IrRequest): void {
  const entry = parsed.get(ctx);
  parsed.set(ctx, { request, estimatedInput: entry?.estimatedInput ?? estimateInputTokens(request) });
}

/** Headers of one API family that mean nothing (or something wrong) to another. */
function foreignHeader(lower: string, target: Codec, client: Codec): boolean {
  if (target === client) return false;
  return (
    lower.startsWith('anthropic-') ||
    lower.startsWith('openai-') ||
    lower.startsWith('x-goog-') ||
    lower === 'x-stainless-helper-method'
  );
}

function translatedHeaders(headers: FlatHeaders, target: Codec, client: Codec): string[] {
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    if (!foreignHeader(name.toLowerCase(), target, client)) out.push(name, headers[i + 1]!);
  }
  return out;
}

/**
 * One attempt of a request whose client API the upstream does not speak: the request decoded
 * from the client's format and encoded in the upstream's, sent to the upstream's own endpoint,
 * with a translator for the answer. Per attempt, so a failover may cross formats.
 */
export function prepareTranslated(input: AttemptInput, api: GenerationApi): PreparedAttempt {
  const { ctx, upstream } = input;
  const target = upstreamCodec(upstream.format);
  if (!target)
    throw new UntranslatableError(
      `upstream "${upstream.name}" speaks format "${upstream.format}", which this gateway cannot translate to yet`,
    );
  const stateful = api === 'openai-responses' ? serverStateField(ctx.json) : undefined;
  if (stateful)
    throw new UntranslatableError(
      `"${stateful}" needs state kept by OpenAI, and upstream "${upstream.name}" (format "${upstream.format}") keeps none: send the whole conversation in "input" instead`,
    );
  const client = clientCodec(api);
  const { request, estimatedInput } = irOf(ctx, client);
  if ((request.choices ?? 1) > 1 && ONE_CHOICE.has(upstream.format))
    throw new UntranslatableError(
      `This request asks for ${request.choices} choices (n), which upstream "${upstream.name}" (format "${upstream.format}") cannot give: it answers one per request.`,
      'n_unsupported',
    );
  const sent = upstream.format === 'gemini' ? request : withoutSignatures(request);
  const body = utf8(JSON.stringify(target.buildRequest(sent)));
  return {
    request: attemptRequest(input, {
      path: target.pathFor?.(request) ?? target.path,
      method: 'POST',
      headers: translatedHeaders(input.headers, target, client),
      body,
    }),
    addedStreamUsage: false,
    translator: new ResponseTranslator(target, client, { request, estimatedInput }),
  };
}

/** The local count `count_tokens` answers with when no upstream can count (Anthropic's shape). */
export function estimateCount(ctx: RequestContext): { input_tokens: number } {
  return { input_tokens: irOf(ctx, clientCodec('anthropic')).estimatedInput };
}
