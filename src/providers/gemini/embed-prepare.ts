import type { RequestContext } from '../../core/context';
import { text, utf8 } from '../../http/bytes';
import { type AttemptInput, attemptRequest } from '../attempt';
import type { Codec } from '../codec';
import { ZERO_USAGE } from '../ir';
import { OPENAI_CHAT_CODEC } from '../openai/codec';
import { num, obj, parseObject } from '../translate/json';
import { UntranslatableError } from '../translate/prepare';
import { ResponseTranslator } from '../translate/translator';
import type { PreparedAttempt } from '../types';
import { GEMINI_CODEC } from './codec';
import {
  buildGeminiBatch,
  buildOpenAiEmbed,
  type EmbedRequest,
  geminiEmbedAnswer,
  openAiEmbedAnswer,
  parseGeminiEmbed,
  parseOpenAiEmbed,
  vectorsOf,
} from './embed';
import { geminiTarget } from './path';

/**
 * Embeddings across APIs: an OpenAI `/v1/embeddings` request to a Gemini upstream
 * (`batchEmbedContents`), or a Gemini `embedContent`/`batchEmbedContents` request to an
 * OpenAI-compatible one (`/v1/embeddings`); the answer comes back in the client's shape.
 */
export function prepareEmbeddings(
  input: AttemptInput,
  api: 'openai-embed' | 'gemini-embed',
): PreparedAttempt {
  const { ctx, upstream } = input;
  const toGemini = upstream.format === 'gemini';
  if (!toGemini && upstream.format === 'anthropic')
    throw new UntranslatableError(
      `upstream "${upstream.name}" speaks Anthropic's API, which has no embeddings`,
    );
  const request = embedRequest(ctx, api);
  if (!request)
    throw new UntranslatableError(`upstream "${upstream.name}" takes text to embed, not token arrays`);
  const body = utf8(JSON.stringify(toGemini ? buildGeminiBatch(request) : buildOpenAiEmbed(request)));
  const name = request.model.replace(/^models\//, '');
  const path = toGemini ? `/v1beta/models/${encodeURIComponent(name)}:batchEmbedContents` : '/v1/embeddings';
  return {
    request: attemptRequest(input, { path, method: 'POST', headers: input.headers, body }),
    addedStreamUsage: false,
    translator: new EmbeddingTranslator(
      toGemini ? GEMINI_CODEC : OPENAI_CHAT_CODEC,
      api === 'gemini-embed' ? GEMINI_CODEC : OPENAI_CHAT_CODEC,
      request,
      api === 'gemini-embed' && geminiTarget(ctx.path)?.method === 'batchEmbedContents',
    ),
  };
}

function embedRequest(ctx: RequestContext, api: 'openai-embed' | 'gemini-embed'): EmbedRequest | undefined {
  const json = ctx.json ?? {};
  if (api === 'openai-embed') return parseOpenAiEmbed(json);
  return parseGeminiEmbed(json, ctx.sentModel ?? ctx.model ?? '');
}

/** An embedding answer (or error) from the upstream's API to the client's. */
class EmbeddingTranslator extends ResponseTranslator {
  constructor(
    upstream: Codec,
    private readonly clientCodec: Codec,
    private readonly request: EmbedRequest,
    private readonly batch: boolean,
  ) {
    const ir = {
      model: request.model,
      system: [],
      messages: [],
      tools: [],
      stop: [],
      stream: false,
      streamUsage: false,
    };
    super(upstream, clientCodec, { request: ir, estimatedInput: 0 });
  }

  override body(bytes: Uint8Array): Uint8Array {
    const parsed = parseObject(text(bytes));
    if (!parsed) return super.body(bytes);
    const vectors = vectorsOf(parsed);
    const toGemini = this.clientCodec === GEMINI_CODEC;
    const answer = toGemini
      ? geminiEmbedAnswer(vectors, this.batch)
      : openAiEmbedAnswer(this.request, vectors);
    const tokens = num(obj(parsed.usage)?.prompt_tokens) ?? num(obj(answer.usage)?.prompt_tokens) ?? 0;
    this.usage = { ...ZERO_USAGE, inputUncached: tokens };
    return utf8(JSON.stringify(answer));
  }
}
