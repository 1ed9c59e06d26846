import type { RequestContext } from '../../core/context';
import { GatewayError } from '../../core/errors';
import { sendError, sendJson } from '../../core/reply';
import type { ClientSink } from '../../http/types';
import type { ModelCatalog, ModelFilter } from '../../routing/model-list';

const LIST = /^(?:.*\/)?v1(?:beta|alpha)?\/models\/?$/;
const ONE = /^(?:.*\/)?v1(?:beta|alpha)?\/models\/([^/:]+)$/;

const METHODS = [
  'generateContent',
  'streamGenerateContent',
  'countTokens',
  'embedContent',
  'batchEmbedContents',
];

function entry(id: string) {
  return {
    name: `models/${id}`,
    version: '',
    displayName: id,
    description: '',
    supportedGenerationMethods: METHODS,
  };
}

/** True for `GET /v1beta/models` and `GET /v1beta/models/{model}` (Gemini's model list). */
export function isGeminiModelList(ctx: RequestContext): boolean {
  return ctx.method === 'GET' && ctx.path.includes('/v1beta/') && (LIST.test(ctx.path) || ONE.test(ctx.path));
}

/**
 * Answers Gemini's model list (or one model) from the configuration, in Gemini's shape.
 * Returns false when the configuration names no model (the request goes on to an upstream).
 */
export function serveGeminiModels(
  ctx: RequestContext,
  sink: ClientSink,
  catalog: ModelCatalog,
  allow: ModelFilter,
): boolean {
  if (catalog.ids.length === 0) return false;
  const one = ONE.exec(ctx.path);
  if (!one) {
    sendJson(sink, ctx, 200, { models: catalog.ids.filter(allow).map(entry) });
    return true;
  }
  const id = decodeURIComponent(one[1]!);
  if (catalog.ids.includes(id) && allow(id)) sendJson(sink, ctx, 200, entry(id));
  // In Gemini's error shape, as every gateway error on a Gemini path (src/core/error-shapes.ts).
  else
    sendError(
      sink,
      ctx,
      new GatewayError('model_not_found', {
        message: `The model "${id}" is not served by this gateway.`,
        param: 'model',
      }),
    );
  return true;
}
