import { z } from 'zod';
import { upstreamSchema } from '../config/schema/upstream';
import { GatewayError } from '../core/errors';
import { type ConfigService, removeUpstream, replaceUpstream } from './config-service';
import { MAX_KEYS_PER_REQUEST } from './key-import';
import { presentUpstreamConfig, restoreMaskedHeaderMaps } from './present';
import type { AdminRequest, AdminRouter } from './router';
import { parseInput } from './validate';

/** An upstream as the API stores it: the config fields, without keys (managed under /keys). */
export const upstreamDefinitionSchema = upstreamSchema.omit({ keys: true, keys_file: true });
const createSchema = upstreamDefinitionSchema.extend({
  keys: z.array(z.string().min(1)).max(MAX_KEYS_PER_REQUEST).optional(),
});
const patchSchema = upstreamDefinitionSchema.omit({ name: true }).partial().strict();

const TAG = 'Upstreams';

export function registerUpstreamRoutes(router: AdminRouter, service: ConfigService): void {
  router.add('GET', '/admin/upstreams', () => ({ body: { upstreams: listUpstreams(service) } }), {
    summary: 'List upstreams from the file and the API, with their source',
    tag: TAG,
  });
  router.add('POST', '/admin/upstreams', (req) => createUpstream(service, req), {
    summary: 'Create an upstream (optionally with its first keys)',
    tag: TAG,
    requestBody: jsonBody(createSchema),
  });
  router.add('GET', '/admin/upstreams/:name', (req) => ({ body: mustView(service, req.params.name!) }), {
    summary: 'Read one upstream (secrets masked)',
    tag: TAG,
  });
  router.add('PUT', '/admin/upstreams/:name', (req) => updateUpstream(service, req, false), {
    summary: 'Replace an API upstream (keys are kept)',
    tag: TAG,
    requestBody: jsonBody(upstreamDefinitionSchema),
  });
  router.add('PATCH', '/admin/upstreams/:name', (req) => updateUpstream(service, req, true), {
    summary: 'Change some fields of an API upstream',
    tag: TAG,
    requestBody: jsonBody(patchSchema),
  });
  router.add('DELETE', '/admin/upstreams/:name', (req) => deleteUpstream(service, req.params.name!), {
    summary: 'Delete an API upstream and its keys',
    tag: TAG,
  });
}

export function jsonBody(schema: z.ZodType): Record<string, unknown> {
  return {
    required: true,
    content: {
      'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
    },
  };
}

function listUpstreams(service: ConfigService): Record<string, unknown>[] {
  return service.config.upstreams.map((u) => view(service, u.name)!);
}

/** How the API shows an upstream: its running config, where it comes from, its key counts. */
export function view(service: ConfigService, name: string): Record<string, unknown> | undefined {
  const running = service.config.upstreams.find((u) => u.name === name);
  if (!running) return undefined;
  const stored = service.store.upstream(name);
  const shadowed = service.manager.merged.shadowed.upstreams.includes(name);
  const fromApi = stored !== undefined && !shadowed;
  const enabled = fromApi ? stored.keys.filter((k) => k.enabled).length : running.keys.length;
  return {
    name,
    source: fromApi ? 'api' : 'file',
    ...presentUpstreamConfig(running),
    keys: { total: fromApi ? stored.keys.length : running.keys.length, enabled },
    ...(shadowed ? { shadows_api_object: true } : {}),
    ...(fromApi ? { created_at: iso(stored.createdAt), updated_at: iso(stored.updatedAt) } : {}),
  };
}

function mustView(service: ConfigService, name: string): Record<string, unknown> {
  const found = view(service, name);
  if (!found) throw notFound(name);
  return found;
}

async function createUpstream(service: ConfigService, req: AdminRequest) {
  const body = await req.json();
  const parsed = parseInput(createSchema, body);
  const { name } = parsed;
  if (service.store.upstream(name)) throw conflict(`An API upstream named "${name}" exists.`);
  if (service.config.upstreams.some((u) => u.name === name)) {
    throw conflict(`The configuration file defines an upstream named "${name}".`);
  }
  const { keys: _keys, ...definition } = body as Record<string, unknown>;
  const keys = [...new Set(parsed.keys ?? [])];
  await service.change(
    'upstream created',
    { upstream: name, keys: keys.length },
    replaceUpstream(service.objects(), { name, definition, keys }),
    () => service.store.createUpstream(name, definition, keys),
  );
  return { status: 201, body: mustView(service, name) };
}

async function updateUpstream(service: ConfigService, req: AdminRequest, partial: boolean) {
  const name = req.params.name!;
  const stored = writableUpstream(service, name);
  const body = await req.json();
  let definition: Record<string, unknown>;
  if (partial) {
    parseInput(patchSchema, body);
    definition = { ...stored.definition, ...(body as Record<string, unknown>) };
  } else {
    parseInput(upstreamDefinitionSchema, body);
    definition = { ...(body as Record<string, unknown>) };
  }
  if (definition.name !== undefined && definition.name !== name) {
    throw new GatewayError('validation_failed', {
      message: `name: an upstream cannot be renamed (the path says "${name}")`,
      param: 'name',
    });
  }
  definition.name = name;
  definition = restoreMaskedHeaderMaps('upstream', definition, stored.definition);
  parseInput(upstreamDefinitionSchema, definition);
  const keys = stored.keys.filter((k) => k.enabled).map((k) => k.secret);
  await service.change(
    'upstream updated',
    { upstream: name },
    replaceUpstream(service.objects(), { name, definition, keys }),
    () => service.store.putUpstream(name, definition),
  );
  return { body: mustView(service, name) };
}

async function deleteUpstream(service: ConfigService, name: string) {
  writableUpstream(service, name);
  const users = routesNaming(service, name);
  if (users.length > 0) {
    throw conflict(
      `The upstream "${name}" is used by route${users.length > 1 ? 's' : ''} ${users.map((r) => `"${r}"`).join(', ')}; remove it there first.`,
    );
  }
  await service.change('upstream deleted', { upstream: name }, removeUpstream(service.objects(), name), () =>
    service.store.deleteUpstream(name),
  );
  return { status: 204 };
}

/** The stored upstream behind a write; 404 when unknown, 409 when it comes from the file. */
export function writableUpstream(service: ConfigService, name: string) {
  const stored = service.store.upstream(name);
  if (stored && !service.manager.merged.shadowed.upstreams.includes(name)) return stored;
  if (service.config.upstreams.some((u) => u.name === name)) {
    throw new GatewayError('read_only', {
      message: `The upstream "${name}" comes from the configuration file and is read-only in the API; edit the file.`,
    });
  }
  throw notFound(name);
}

/** Routes (file or API, not the implicit default) that name the upstream. */
function routesNaming(service: ConfigService, name: string): string[] {
  const explicit = [
    ...(Array.isArray(service.manager.baseInput.routes) ? service.manager.baseInput.routes : []),
    ...service.store.routes().map((r) => ({ ...r.definition, name: r.name })),
  ] as { name?: unknown; upstreams?: unknown }[];
  return explicit
    .filter((route) => Array.isArray(route.upstreams) && route.upstreams.includes(name))
    .map((route) => String(route.name));
}

export function notFound(name: string, what = 'upstream'): GatewayError {
  return new GatewayError('resource_not_found', { message: `No ${what} named "${name}".` });
}

export function conflict(message: string): GatewayError {
  return new GatewayError('conflict', { message });
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
