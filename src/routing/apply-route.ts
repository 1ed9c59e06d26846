import type { HashConfig, RouteConfig } from '../config/schema/route';
import type { RequestContext } from '../core/context';
import { GatewayError } from '../core/errors';
import type { ClientRequest } from '../http/types';
import { checkDohRequest } from './doh';
import type { Route } from './route';

/**
 * The matched route's actions, in order: reject, protocol check (DoH), model rewrite, body
 * fields, request headers, traffic split, hash key. Returns the pool the request is sent to
 * (the route itself, or the chosen split group's pool). Throws a GatewayError to refuse.
 */
export function applyRoute(
  route: Route,
  ctx: RequestContext,
  req: Pick<ClientRequest, 'header' | 'rawHeaders'>,
  random: () => number,
): Route {
  const { config } = route;
  if (config.reject) throw rejection(config.reject, ctx);
  if (config.protocol === 'doh') checkDohRequest(ctx, req.header('content-type'));
  if (ctx.json) {
    if (config.rewrite) rewriteModel(ctx, config.rewrite.model);
    if (config.body) overrideBody(ctx, config.body);
  }
  if (config.headers)
    ctx.forwardHeaders = rewriteHeaders(ctx.forwardHeaders ?? req.rawHeaders, config.headers);
  let pool = route;
  if (route.split) {
    const group = route.split.choose(ctx, (name) => req.header(name), random);
    ctx.routeGroup = group.name;
    ctx.replyHeaders[route.split.responseHeader] = group.name;
    pool = group.pool;
  }
  if (pool.hash) ctx.hashKey = hashKeyOf(pool.hash, ctx, req);
  return pool;
}

function rejection(reject: NonNullable<RouteConfig['reject']>, ctx: RequestContext): GatewayError {
  const modelCodes = reject.code === 'model_not_found' || reject.code === 'model_not_allowed';
  const message =
    reject.message ??
    (modelCodes && ctx.model !== undefined
      ? `The model "${ctx.model}" is not available through this gateway.`
      : undefined);
  return new GatewayError(reject.code, {
    message,
    status: reject.status,
    param: modelCodes ? 'model' : null,
  });
}

/**
 * The client's requested model stays in ctx.model (logs, quotas); the one sent goes in
 * ctx.sentModel. A model named in the path (Gemini's) is not in the body: the provider puts
 * the rewritten one in the upstream path, and the body stays as sent.
 */
function rewriteModel(ctx: RequestContext, model: string): void {
  ctx.sentModel = model;
  if (typeof ctx.json!.model !== 'string' && ctx.model !== undefined) return;
  ctx.json!.model = model;
  ctx.bodyDirty = true;
}

function overrideBody(ctx: RequestContext, body: NonNullable<RouteConfig['body']>): void {
  const json = ctx.json!;
  for (const field of body.remove) delete json[field];
  for (const field in body.set) json[field] = body.set[field];
  if (body.remove.length > 0 || Object.keys(body.set).length > 0) ctx.bodyDirty = true;
}

/** The client's headers with `remove` and `set` applied (names compared case-insensitively). */
export function rewriteHeaders(
  rawHeaders: readonly string[],
  actions: NonNullable<RouteConfig['headers']>,
): string[] {
  const dropped = new Set(actions.remove.map((name) => name.toLowerCase()));
  for (const name in actions.set) dropped.add(name.toLowerCase());
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (!dropped.has(rawHeaders[i]!.toLowerCase())) out.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  for (const name in actions.set) out.push(name, actions.set[name]!);
  return out;
}

/** The key consistent-hash hashes: the client IP, a header (absent: no key), or the client's identity. */
function hashKeyOf(
  hash: HashConfig,
  ctx: RequestContext,
  req: Pick<ClientRequest, 'header'>,
): string | undefined {
  if (hash.key === 'header') return req.header(hash.header!);
  if (hash.key === 'client') return ctx.client?.name ?? ctx.clientIp;
  return ctx.clientIp;
}
