import type { RequestContext, ResponseObserver } from '../../core/context';
import { text } from '../../http/bytes';
import { countPromptTokens, isTokenRequest } from './estimate';
import { SseUsageReader } from './sse-reader';
import { countTokens } from './tokenizer';
import { NO_USAGE, type Usage, usageInBody } from './usage';

/**
 * Watches one committed response for its usage (RequestContext.responseObserver): the `usage`
 * of a held JSON answer, or of an SSE stream read on the side. When the upstream reports
 * nothing, `finish` counts the prompt and the text generated with the tokenizer and marks the
 * figure estimated: an abandoned stream is charged for what was generated before it was cut.
 */
export class UsageMeter implements ResponseObserver {
  private reader: SseUsageReader | undefined;
  private bodyUsage: Usage | undefined;
  private bodyText: string[] | undefined;
  /** A translated answer's usage, normalised by its translator. */
  private translatedUsage: Usage | undefined;

  /** The committed attempt asked for stream usage the client did not ask for: remove it. */
  private stripStreamUsage = false;

  /** The meter for the attempt that commits (`addedStreamUsage`: see stripStreamUsage). */
  forAttempt(addedStreamUsage: boolean): this {
    this.stripStreamUsage = addedStreamUsage;
    return this;
  }

  onHead(_status: number, headers: Readonly<Record<string, string | string[] | undefined>>): void {
    const type = headers['content-type'];
    const contentType = Array.isArray(type) ? type[0] : type;
    if (contentType?.startsWith('text/event-stream')) this.reader = new SseUsageReader(this.stripStreamUsage);
  }

  /** Only a stream whose usage event the client did not ask for is changed on its way. */
  rewritesBody(): boolean {
    return this.reader !== undefined && this.stripStreamUsage;
  }

  transformChunk(chunk: Uint8Array): Uint8Array {
    return this.reader ? this.reader.feed(chunk) : chunk;
  }

  flush(): Uint8Array | undefined {
    return this.reader?.flush();
  }

  onBody(body: Uint8Array): void {
    this.bodyUsage = usageInBody(body);
    if (!this.bodyUsage) this.bodyText = answerText(body);
  }

  onUsage(usage: { promptTokens: number; completionTokens: number; cachedTokens: number }): void {
    const total = usage.promptTokens + usage.completionTokens;
    this.translatedUsage = { ...usage, totalTokens: total, estimated: false };
  }

  /** The model the upstream said it served, when it said. */
  get servedModel(): string | undefined {
    return this.reader?.model;
  }

  /** The request's usage once it is over: reported, else counted (estimated), else none. */
  finish(ctx: RequestContext): Usage {
    const reported = this.translatedUsage ?? this.reader?.usage ?? this.bodyUsage;
    if (reported) return reported;
    const sent = ctx.attempts.length > 0;
    const answered = ctx.status >= 200 && ctx.status < 300;
    if (!sent || !(answered || ctx.cancelled) || !isTokenRequest(ctx.json)) return NO_USAGE;
    const promptTokens = countPromptTokens(ctx.json);
    const completionTokens = this.reader ? this.reader.generatedTokens() : countText(this.bodyText);
    return {
      promptTokens,
      completionTokens,
      cachedTokens: 0,
      totalTokens: promptTokens + completionTokens,
      estimated: true,
    };
  }
}

function countText(parts: string[] | undefined): number {
  if (!parts) return 0;
  return parts.reduce((sum, text) => sum + countTokens(text), 0);
}

/** The generated text of a JSON answer without usage: chat messages, completions, Anthropic content. */
function answerText(body: Uint8Array): string[] | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text(body)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const out: string[] = [];
  if (Array.isArray(parsed.choices)) {
    for (const choice of parsed.choices as Record<string, unknown>[]) {
      const message = choice.message as Record<string, unknown> | undefined;
      if (typeof message?.content === 'string') out.push(message.content);
      if (typeof choice.text === 'string') out.push(choice.text);
    }
  }
  if (Array.isArray(parsed.content)) {
    for (const block of parsed.content as Record<string, unknown>[]) {
      if (typeof block.text === 'string') out.push(block.text);
    }
  }
  return out;
}
