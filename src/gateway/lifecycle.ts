import type { AccessControl } from '../access/access';
import type { ResponseCache } from '../cache/response-cache';
import type { BodyDecoder } from '../core/body-decoder';
import type { RequestContext } from '../core/context';
import type { EdgeCounters } from '../core/edge-counters';
import { GatewayError, isGatewayError } from '../core/errors';
import { sendError, sendJson } from '../core/reply';
import { utf8 } from '../http/bytes';
import type { ClientRequest, ClientSink } from '../http/types';
import type { Logger } from '../observe/logger';
import { estimateGeminiCount } from '../providers/gemini/count';
import { isGeminiModelList, serveGeminiModels } from '../providers/gemini/models';
import { clientApiOf } from '../providers/translate/formats';
import type { ImageNetwork } from '../providers/translate/image-fetch';
import { inlineImagesForRoute } from '../providers/translate/inline-images';
import { estimateCount } from '../providers/translate/prepare';
import { type ProxyDeps, ProxyExchange } from '../proxy/exchange';
import { parsedJson } from '../proxy/json-body';
import { applyRoute } from '../routing/apply-route';
import type { ConfigSnapshot } from '../routing/config-snapshot';
import { serveModelList } from '../routing/model-list';
import type { Route } from '../routing/route';
import type { RouteInput } from '../routing/router';
import { sharedTurn } from '../routing/shared-turn';
import type { CursorStore } from '../state/cursor-store';

/** What the lifecycle needs from the gateway assembled around it. */
export interface LifecycleDeps {
  readonly access: AccessControl;
  readonly logger: Logger;
  readonly proxyDeps: ProxyDeps;
  /** Counts clients cut off at the edge (slow bodies), for metrics. */
  readonly edge: EdgeCounters;
  /** Decodes a compressed request body (the runtime's decoder), when there is one. */
  readonly decodeBody: BodyDecoder | undefined;
  /** The response cache (src/cache), when attached. */
  readonly cache: ResponseCache | undefined;
  /** Fetches image URLs that a translated upstream needs inline; none: URLs are sent as they are. */
  readonly imageNetwork: ImageNetwork | undefined;
  /** Rotation cursors shared by a fleet (`state.url`); undefined: each route rotates locally. */
  readonly cursors: CursorStore | undefined;
  /** Step "account": called once when the request is over, whatever happened. */
  account(ctx: RequestContext): void;
}

/**
 * The API request's lifecycle, one named step after another (docs/lifecycle.md):
 * identify → read → route → admit → proxy (select, send, classify, retry or commit) → account.
 * Accounting runs when the exchange completes, off the response path.
 */
export async function handleApiRequest(
  deps: LifecycleDeps,
  runtime: ConfigSnapshot,
  ctx: RequestContext,
  req: ClientRequest,
  sink: ClientSink,
): Promise<void> {
  try {
    deps.access.identify(ctx, req);
    if (servesModelList(deps, runtime, ctx, req, sink)) return deps.account(ctx);
    const { max_body_size: maxBody, timeouts } = runtime.config.server;
    ctx.body = await req.readBody(maxBody, {
      idleMs: timeouts.body_idle,
      totalMs: timeouts.body,
      onTimeout: (event) => deps.edge.count(event),
    });
    if (runtime.config.server.compression && deps.decodeBody)
      await decodeBody(deps.decodeBody, ctx, req, runtime);
    parsedJson(ctx, req.header('content-type'));
    if (runtime.routes.length === 0) throw new GatewayError('no_upstream_configured');
    const route = runtime.router.match(routeInput(ctx, req));
    if (!route) throw noRouteError(ctx);
    ctx.route = route;
    const pool = applyRoute(route, ctx, req, deps.proxyDeps.random);
    deps.cache?.prepare(ctx, req, route);
    // The rotation's turn goes to the shared cursors (Redis, or a cluster's primary) alongside the limit
    // checks: one round trip's wait for both.
    // A request then refused or answered from the cache has taken its turn all the same.
    const turn = deps.cursors
      ? sharedTurn(pool, deps.proxyDeps.health, deps.proxyDeps.now(), deps.cursors)
      : undefined;
    const admitted = deps.access.admit(ctx);
    if (admitted) await admitted;
    const count = localCount(ctx, pool);
    if (count) {
      sendJson(sink, ctx, 200, count);
      return deps.account(ctx);
    }
    const cached = deps.cache?.serve(ctx, sink);
    if (cached && (await cached)) return deps.account(ctx);
    if (deps.imageNetwork) await inlineImages(deps.imageNetwork, ctx, pool, runtime);
    if (ctx.bodyDirty && ctx.json) ctx.body = utf8(JSON.stringify(ctx.json));
    const headers = ctx.forwardHeaders ?? req.rawHeaders;
    const exchange = new ProxyExchange(deps.proxyDeps, runtime.config.retry, ctx, headers, sink, pool, () =>
      deps.account(ctx),
    );
    if (turn) exchange.turn = await turn;
    exchange.start();
  } catch (err) {
    if (ctx.cancelled || (err as Error).name === 'ClientCancelledError') {
      ctx.cancelled = true;
      ctx.verdict = 'client_cancelled';
    } else {
      sendError(sink, ctx, isGatewayError(err) ? err : internalError(deps, err));
    }
    deps.account(ctx);
  }
}

/** The model lists answered from the configuration: OpenAI's (or Anthropic's) and Gemini's. */
function servesModelList(
  deps: LifecycleDeps,
  runtime: ConfigSnapshot,
  ctx: RequestContext,
  req: ClientRequest,
  sink: ClientSink,
): boolean {
  const allow = (model: string) => deps.access.allowsModel(ctx, model);
  if (ctx.method === 'GET' && ctx.path.startsWith('/v1/models')) {
    const anthropic = req.header('anthropic-version') !== undefined;
    return serveModelList(ctx, sink, runtime.router.models, allow, anthropic);
  }
  return isGeminiModelList(ctx) && serveGeminiModels(ctx, sink, runtime.router.models, allow);
}

/**
 * Anthropic's `count_tokens` or Gemini's `countTokens` on a route without an upstream of that
 * API to ask: answered with a local count (system prompt, messages and tools), never a 404.
 */
function localCount(ctx: RequestContext, pool: Route): object | undefined {
  if (ctx.method !== 'POST') return undefined;
  const api = clientApiOf(ctx.path);
  const asks = (format: string) => pool.members.some((upstream) => upstream.format === format);
  if (api === 'anthropic-count' && !asks('anthropic')) return estimateCount(ctx);
  if (api === 'gemini-count' && !asks('gemini')) return estimateGeminiCount(ctx);
  return undefined;
}

/** Image URLs fetched and inlined for the translated upstreams that need them (`translate`). */
function inlineImages(network: ImageNetwork, ctx: RequestContext, pool: Route, runtime: ConfigSnapshot) {
  const { images, image_max_size: maxBytes, image_timeout: timeoutMs } = runtime.config.translate;
  return inlineImagesForRoute(ctx, pool, images, { network, maxBytes, timeoutMs, maxRedirects: 3 });
}

/** A compressed request body is decoded (size limit after decoding) and forwarded decoded. */
async function decodeBody(
  decoder: BodyDecoder,
  ctx: RequestContext,
  req: ClientRequest,
  runtime: ConfigSnapshot,
) {
  const encoding = req.header('content-encoding');
  if (encoding === undefined) return;
  const decoded = await decoder(ctx.body, encoding, req.rawHeaders, runtime.config.server.max_body_size);
  if (!decoded) return;
  ctx.body = decoded.body;
  ctx.forwardHeaders = [...decoded.rawHeaders];
}

function routeInput(ctx: RequestContext, req: ClientRequest): RouteInput {
  return {
    method: ctx.method,
    path: ctx.path,
    host: ctx.host,
    header: (name) => req.header(name),
    model: () => ctx.model,
  };
}

function noRouteError(ctx: RequestContext): GatewayError {
  if (ctx.model !== undefined) {
    return new GatewayError('model_not_found', {
      message: `The model "${ctx.model}" is not served by this gateway.`,
      param: 'model',
    });
  }
  return new GatewayError('no_route');
}

function internalError(deps: LifecycleDeps, err: unknown): GatewayError {
  deps.logger.error({ err }, 'unexpected error while handling a request');
  return new GatewayError('internal_error', { cause: err });
}
