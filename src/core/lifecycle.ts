import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProxyExchange } from '../proxy/exchange';
import { parsedJson } from '../proxy/json-body';
import { readRequestBody } from '../proxy/request-body';
import { sendError } from '../proxy/respond';
import { applyRoute } from '../routing/apply-route';
import { serveModelList } from '../routing/model-list';
import type { RouteInput } from '../routing/router';
import type { BodyDecoder } from './body-decoder';
import type { RequestContext } from './context';
import { GatewayError, isGatewayError } from './errors';
import type { Gateway } from './gateway';
import type { Runtime } from './runtime';

/**
 * The API request's lifecycle, one named step after another (docs/lifecycle.md):
 * identify → read → route → admit → proxy (select, send, classify, retry or commit) → account.
 * Accounting runs when the exchange completes, off the response path.
 */
export async function handleApiRequest(
  gateway: Gateway,
  runtime: Runtime,
  ctx: RequestContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    gateway.access.identify(ctx, req.headers);
    if (ctx.method === 'GET' && ctx.path.startsWith('/v1/models')) {
      const allow = (model: string) => gateway.access.allowsModel(ctx, model);
      if (serveModelList(ctx, res, runtime.router.models, allow)) return gateway.account(ctx);
    }
    const { max_body_size: maxBody, timeouts } = runtime.config.server;
    ctx.body = await readRequestBody(req, maxBody, {
      idleMs: timeouts.body_idle,
      totalMs: timeouts.body,
      onTimeout: (event) => gateway.edge.count(event),
    });
    if (runtime.config.server.compression && gateway.decodeBody)
      await decodeBody(gateway.decodeBody, ctx, req, runtime);
    parsedJson(ctx, req.headers['content-type']);
    if (runtime.routes.length === 0) throw new GatewayError('no_upstream_configured');
    const route = runtime.router.match(routeInput(ctx, req));
    if (!route) throw noRouteError(ctx);
    ctx.route = route;
    const pool = applyRoute(
      route,
      ctx,
      req.headers,
      ctx.forwardHeaders ?? req.rawHeaders,
      gateway.proxyDeps.random,
    );
    gateway.cache?.prepare(ctx, req.headers, route);
    const admitted = gateway.access.admit(ctx);
    if (admitted) await admitted;
    const cached = gateway.cache?.serve(ctx, res);
    if (cached && (await cached)) return gateway.account(ctx);
    if (ctx.bodyDirty && ctx.json) ctx.body = Buffer.from(JSON.stringify(ctx.json));
    const headers = ctx.forwardHeaders ?? req.rawHeaders;
    const exchange = new ProxyExchange(gateway.proxyDeps, runtime.config.retry, ctx, headers, res, pool, () =>
      gateway.account(ctx),
    );
    exchange.start();
  } catch (err) {
    if (ctx.cancelled || (err as Error).name === 'ClientCancelledError') {
      ctx.cancelled = true;
      ctx.verdict = 'client_cancelled';
    } else {
      sendError(res, ctx, isGatewayError(err) ? err : internalError(gateway, err));
    }
    gateway.account(ctx);
  }
}

/** A compressed request body is decoded (size limit after decoding) and forwarded decoded. */
async function decodeBody(decoder: BodyDecoder, ctx: RequestContext, req: IncomingMessage, runtime: Runtime) {
  const encoding = req.headers['content-encoding'];
  if (encoding === undefined) return;
  const decoded = await decoder(ctx.body, encoding, req.rawHeaders, runtime.config.server.max_body_size);
  if (!decoded) return;
  ctx.body = decoded.body;
  ctx.forwardHeaders = [...decoded.rawHeaders];
}

function routeInput(ctx: RequestContext, req: IncomingMessage): RouteInput {
  return {
    method: ctx.method,
    path: ctx.path,
    host: ctx.host,
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
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

function internalError(gateway: Gateway, err: unknown): GatewayError {
  gateway.logger.error({ err }, 'unexpected error while handling a request');
  return new GatewayError('internal_error', { cause: err });
}
