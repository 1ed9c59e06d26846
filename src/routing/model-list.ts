import type { RequestContext } from '../core/context';
import { GatewayError } from '../core/errors';
import { sendError, sendJson } from '../core/reply';
import type { ClientSink } from '../http/types';
import { isLiteral } from './match/pattern';
import type { Route } from './route';

/** The models the configuration advertises, in the order routes name them. */
export interface ModelCatalog {
  readonly ids: readonly string[];
  /** Unix seconds when the configuration was loaded (the `created` of each entry). */
  readonly created: number;
}

/** Decides whether the caller may see a model (the access layer passes the client's allowlist). */
export type ModelFilter = (model: string) => boolean;

/**
 * What each route advertises: its `models` list when given; else the exact names in its
 * `match.model` (globs and regexes name no particular model); a route without a model condition
 * advertises its upstreams' `models`. Rejecting routes advertise nothing.
 */
export function buildModelCatalog(routes: readonly Route[], now = Date.now()): ModelCatalog {
  const ids = new Set<string>();
  for (const route of routes) for (const id of advertisedBy(route)) ids.add(id);
  return { ids: [...ids], created: Math.floor(now / 1000) };
}

function advertisedBy(route: Route): readonly string[] {
  const { config } = route;
  if (config.reject) return [];
  if (config.models) return config.models;
  if (config.match?.model) return config.match.model.filter(isLiteral);
  const pools = route.split ? route.split.groups.map((group) => group.pool) : [route];
  return pools.flatMap((pool) => pool.members.flatMap((member) => member.config.models));
}

/** OpenAI's model list shape. */
export function modelListBody(catalog: ModelCatalog, allow: ModelFilter = () => true) {
  return {
    object: 'list' as const,
    data: catalog.ids.filter(allow).map((id) => modelEntry(catalog, id)),
  };
}

/** Anthropic's model list shape (asked for with an `anthropic-version` header). */
export function anthropicModelListBody(catalog: ModelCatalog, allow: ModelFilter = () => true) {
  const data = catalog.ids.filter(allow).map((id) => anthropicModelEntry(catalog, id));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
}

function modelEntry(catalog: ModelCatalog, id: string, anthropic = false) {
  if (anthropic) return anthropicModelEntry(catalog, id);
  return { id, object: 'model' as const, created: catalog.created, owned_by: 'switchyard' };
}

function anthropicModelEntry(catalog: ModelCatalog, id: string) {
  const createdAt = new Date(catalog.created * 1000).toISOString();
  return { type: 'model' as const, id, display_name: id, created_at: createdAt };
}

const LIST_PATH = '/v1/models';

/**
 * Answers `GET /v1/models` and `GET /v1/models/{id}` from the configuration, in Anthropic's
 * shape for a client that sent `anthropic-version` (`anthropic`). Returns false (the request
 * goes on to the routes, and so to an upstream) when the configuration names no model at all,
 * as in quick mode.
 */
export function serveModelList(
  ctx: RequestContext,
  sink: ClientSink,
  catalog: ModelCatalog,
  allow: ModelFilter = () => true,
  anthropic = false,
): boolean {
  if (ctx.method !== 'GET' || catalog.ids.length === 0) return false;
  const path = ctx.path;
  if (path === LIST_PATH || path === `${LIST_PATH}/`) {
    sendJson(
      sink,
      ctx,
      200,
      anthropic ? anthropicModelListBody(catalog, allow) : modelListBody(catalog, allow),
    );
    return true;
  }
  if (!path.startsWith(`${LIST_PATH}/`)) return false;
  const id = decodeURIComponent(path.slice(LIST_PATH.length + 1));
  if (catalog.ids.includes(id) && allow(id)) sendJson(sink, ctx, 200, modelEntry(catalog, id, anthropic));
  else {
    sendError(
      sink,
      ctx,
      new GatewayError('model_not_found', {
        message: `The model "${id}" is not served by this gateway.`,
        param: 'model',
      }),
    );
  }
  return true;
}
