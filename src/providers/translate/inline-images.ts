import type { WireFormat } from '../../config/schema/upstream';
import type { RequestContext } from '../../core/context';
import { GatewayError } from '../../core/errors';
import type { Route } from '../../routing/route';
import type { IrPart, IrRequest } from '../ir';
import { clientApiOf, clientCodec, isGenerationApi, speaksNatively } from './formats';
import { fetchImage, ImageFetchError, type ImageFetchPolicy, type InlineImage } from './image-fetch';
import { irOf, replaceIr } from './prepare';

/** `translate.images`: image URLs go to translated upstreams as URLs, or fetched and inlined. */
export type ImageMode = 'url' | 'inline';

/**
 * Whether a translated request to this format needs its image URLs fetched and inlined:
 * always for Gemini (its `fileData` takes no web URLs), for the others when `translate.images`
 * says `inline` (Anthropic- or OpenAI-compatible servers that cannot fetch URLs themselves).
 */
export function inlinesImages(format: WireFormat, mode: ImageMode): boolean {
  return format === 'gemini' || mode === 'inline';
}

function isRemote(part: IrPart): part is Extract<IrPart, { type: 'image' }> & { url: string } {
  return part.type === 'image' && part.data === undefined && /^https?:\/\//i.test(part.url ?? '');
}

function remoteUrls(parts: readonly IrPart[], into: Set<string>): void {
  for (const part of parts) {
    if (isRemote(part)) into.add(part.url);
    else if (part.type === 'tool_result') remoteUrls(part.content, into);
  }
}

function replaced(parts: readonly IrPart[], images: ReadonlyMap<string, InlineImage>): IrPart[] {
  return parts.map((part): IrPart => {
    if (isRemote(part)) {
      const image = images.get(part.url)!;
      return { type: 'image', mediaType: image.mediaType, data: image.data };
    }
    if (part.type === 'tool_result') return { ...part, content: replaced(part.content, images) };
    return part;
  });
}

/**
 * The IR with every http(s) image URL (tool results included) fetched under the policy and
 * inlined as base64; each distinct URL is fetched once. The request itself when it has none.
 * Throws ImageFetchError naming why an image could not be fetched.
 */
export async function inlineRemoteImages(ir: IrRequest, policy: ImageFetchPolicy): Promise<IrRequest> {
  const urls = new Set<string>();
  for (const message of ir.messages) remoteUrls(message.parts, urls);
  if (urls.size === 0) return ir;
  const images = await fetchAll([...urls], policy);
  return {
    ...ir,
    messages: ir.messages.map((message) => ({ ...message, parts: replaced(message.parts, images) })),
  };
}

/** Images fetched at once, at most. */
const CONCURRENCY = 4;
/** The images of one request together take at most this many times `maxBytes`. */
const TOTAL_FACTOR = 4;

/** Every URL fetched, a few at a time, within the request's total. */
async function fetchAll(
  urls: readonly string[],
  policy: ImageFetchPolicy,
): Promise<Map<string, InlineImage>> {
  const images = new Map<string, InlineImage>();
  const limit = policy.maxBytes * TOTAL_FACTOR;
  let total = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) {
      const url = urls[next++]!;
      try {
        const image = await fetchImage(url, policy);
        total += image.size;
        if (total > limit)
          throw new ImageFetchError(`the request's images are larger than ${limit} bytes together`);
        images.set(url, image);
      } catch (err) {
        next = urls.length; // the other workers take no more
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, urls.length) }, worker));
  return images;
}

/**
 * Before the attempts of a request that some upstream of its route will get translated and
 * that upstream's format needs inline images: the request's IR gets its image URLs inlined, once
 * for every attempt. A URL that cannot be fetched refuses the request (400 `image_not_fetched`).
 */
export async function inlineImagesForRoute(
  ctx: RequestContext,
  pool: Route,
  mode: ImageMode,
  policy: ImageFetchPolicy,
): Promise<void> {
  const api = clientApiOf(ctx.path);
  if (!api || !isGenerationApi(api) || ctx.method !== 'POST') return;
  const needed = pool.members.some(
    (upstream) => !speaksNatively(api, upstream.format) && inlinesImages(upstream.format, mode),
  );
  if (!needed) return;
  const { request } = irOf(ctx, clientCodec(api));
  try {
    const inlined = await inlineRemoteImages(request, policy);
    if (inlined !== request) replaceIr(ctx, inlined);
  } catch (err) {
    if (!(err instanceof ImageFetchError)) throw err;
    throw new GatewayError('image_not_fetched', {
      message: `An image URL in the request could not be fetched: ${err.message}.`,
    });
  }
}
