import { IMPLICIT_ROUTE } from '../config/merge';
import { routeObjectSchema, routeSchema } from '../config/schema/route';
import { GatewayError } from '../core/errors';
import { type ConfigService, removeRoute, replaceRoute } from './config-service';
import { presentRouteConfig, restoreMaskedHeaderMaps } from './present';
import type { AdminRequest, AdminRouter } from './router';
import { conflict, iso, jsonBody, notFound } from './upstream-routes';
import { invalid, parseInput } from './validate';

const TAG = 'Routes';
const patchSchema = routeObjectSchema.omit({ name: true }).partial().strict();

export function registerRouteRoutes(router: AdminRouter, service: ConfigService): void {
  router.add('GET', '/admin/routes', () => ({ body: { routes: listRoutes(service) } }), {
    summary: 'List routes in match order (file routes first, then API routes), with their source',
    tag: TAG,
  });
  router.add('POST', '/admin/routes', (req) => createRoute(service, req), {
    summary: 'Create a route (matched after the file’s routes and earlier API routes)',
    tag: TAG,
    requestBody: jsonBody(routeSchema),
  });
  router.add('GET', '/admin/routes/:name', (req) => ({ body: mustView(service, req.params.name!) }), {
    summary: 'Read one route',
    tag: TAG,
  });
  router.add('PUT', '/admin/routes/:name', (req) => updateRoute(service, req, false), {
    summary: 'Replace an API route (it keeps its place in the order)',
    tag: TAG,
    requestBody: jsonBody(routeSchema),
  });
  router.add('PATCH', '/admin/routes/:name', (req) => updateRoute(service, req, true), {
    summary: 'Change some fields of an API route',
    tag: TAG,
    requestBody: jsonBody(patchSchema),
  });
  router.add('DELETE', '/admin/routes/:name', (req) => deleteRoute(service, req.params.name!), {
    summary: 'Delete an API route',
    tag: TAG,
  });
}

function listRoutes(service: ConfigService): Record<string, unknown>[] {
  const { config } = service;
  if (!config.routes) {
    if (config.upstreams.length === 0) return [];
    const upstreams = config.upstreams.map((u) => u.name);
    return [{ name: IMPLICIT_ROUTE, upstreams, strategy: 'round-robin', source: 'file', implicit: true }];
  }
  return config.routes.map((route) => view(service, route.name)!);
}

function view(service: ConfigService, name: string): Record<string, unknown> | undefined {
  const running = service.config.routes?.find((r) => r.name === name);
  if (!running) return listRoutes(service).find((r) => r.name === name);
  const stored = service.store.route(name);
  const shadowed = service.manager.merged.shadowed.routes.includes(name);
  const fromApi = stored !== undefined && !shadowed;
  const implicit = !fromApi && name === IMPLICIT_ROUTE && service.manager.baseInput.routes === undefined;
  return {
    ...presentRouteConfig(running),
    source: fromApi ? 'api' : 'file',
    ...(implicit ? { implicit: true } : {}),
    ...(shadowed ? { shadows_api_object: true } : {}),
    ...(fromApi ? { created_at: iso(stored.createdAt), updated_at: iso(stored.updatedAt) } : {}),
  };
}

function mustView(service: ConfigService, name: string): Record<string, unknown> {
  const found = view(service, name);
  if (!found) throw notFound(name, 'route');
  return found;
}

async function createRoute(service: ConfigService, req: AdminRequest) {
  const body = (await req.json()) as Record<string, unknown>;
  const { name } = parseInput(routeSchema, body);
  if (service.store.route(name)) throw conflict(`An API route named "${name}" exists.`);
  const fileRoutes = Array.isArray(service.manager.baseInput.routes) ? service.manager.baseInput.routes : [];
  if (fileRoutes.some((r) => (r as { name?: unknown }).name === name)) {
    throw conflict(`The configuration file defines a route named "${name}".`);
  }
  checkMembers(service, body);
  await service.change(
    'route created',
    { route: name },
    replaceRoute(service.objects(), { name, definition: body }),
    () => service.store.putRoute(name, body),
  );
  return { status: 201, body: mustView(service, name) };
}

async function updateRoute(service: ConfigService, req: AdminRequest, partial: boolean) {
  const name = req.params.name!;
  const stored = writableRoute(service, name);
  const body = (await req.json()) as Record<string, unknown>;
  parseInput(partial ? patchSchema : routeSchema, body);
  const merged = partial ? { ...stored.definition, ...body } : { ...body };
  if (merged.name !== undefined && merged.name !== name) {
    throw invalid([`name: a route cannot be renamed (the path says "${name}")`], 'name');
  }
  const definition = restoreMaskedHeaderMaps('route', { ...merged, name }, stored.definition);
  parseInput(routeSchema, definition);
  checkMembers(service, definition);
  await service.change(
    'route updated',
    { route: name },
    replaceRoute(service.objects(), { name, definition }),
    () => service.store.putRoute(name, definition),
  );
  return { body: mustView(service, name) };
}

async function deleteRoute(service: ConfigService, name: string) {
  writableRoute(service, name);
  await service.change('route deleted', { route: name }, removeRoute(service.objects(), name), () =>
    service.store.deleteRoute(name),
  );
  return { status: 204 };
}

function writableRoute(service: ConfigService, name: string) {
  const stored = service.store.route(name);
  if (stored && !service.manager.merged.shadowed.routes.includes(name)) return stored;
  if (view(service, name)) {
    throw new GatewayError('read_only', {
      message: `The route "${name}" comes from the configuration file and is read-only in the API; edit the file.`,
    });
  }
  throw notFound(name, 'route');
}

/** Each member must be an upstream of the running configuration (file or API). */
function checkMembers(service: ConfigService, definition: Record<string, unknown>): void {
  const known = new Set(service.config.upstreams.map((u) => u.name));
  const members = Array.isArray(definition.upstreams) ? (definition.upstreams as string[]) : [];
  members.forEach((member, index) => {
    if (!known.has(member))
      throw invalid([`upstreams[${index}]: unknown upstream "${member}"`], `upstreams[${index}]`);
  });
}
