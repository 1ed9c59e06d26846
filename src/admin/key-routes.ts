import { z } from 'zod';
import { fingerprint, maskSecret } from '../observe/mask';
import type { StoredKey, StoredUpstream } from '../store/types';
import { type ConfigService, replaceUpstream } from './config-service';
import { readKeyImport } from './key-import';
import type { AdminRequest, AdminRouter } from './router';
import { iso, jsonBody, notFound, view, writableUpstream } from './upstream-routes';
import { invalid, parseInput } from './validate';

const TAG = 'Upstream keys';
const patchSchema = z.object({ enabled: z.boolean() }).strict();
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

interface KeyView {
  readonly id: string;
  readonly key: string;
  readonly enabled: boolean;
  readonly source: 'api' | 'file';
  readonly added_at?: string;
}

export function registerKeyRoutes(router: AdminRouter, service: ConfigService): void {
  const base = '/admin/upstreams/:name/keys';
  router.add('GET', base, (req) => listKeys(service, req), {
    summary: 'List an upstream’s keys, masked, a page at a time',
    tag: TAG,
    query: [
      { name: 'offset', description: 'skip this many keys (default 0)' },
      { name: 'limit', description: `page size (default ${DEFAULT_PAGE}, at most ${MAX_PAGE})` },
      { name: 'enabled', description: '`true` or `false`: only enabled or disabled keys' },
      { name: 'q', description: 'only keys whose id or masked form contains this text' },
    ],
  });
  router.add('POST', base, (req) => importKeys(service, req), {
    summary: 'Import up to 100,000 keys (text/plain one per line, or JSON), skipping duplicates',
    tag: TAG,
    requestBody: {
      required: true,
      content: {
        'text/plain': { schema: { type: 'string', description: 'one key per line, # comments' } },
        ...(jsonBody(z.union([z.array(z.string()), z.object({ keys: z.array(z.string()) })]))
          .content as object),
      },
    },
  });
  router.add('GET', `${base}/:id`, (req) => ({ body: present(mustFind(service, req)) }), {
    summary: 'Read one key (masked) by its id',
    tag: TAG,
  });
  router.add('PATCH', `${base}/:id`, (req) => setEnabled(service, req), {
    summary: 'Enable or disable one key of an API upstream',
    tag: TAG,
    requestBody: jsonBody(patchSchema),
  });
  router.add('DELETE', `${base}/:id`, (req) => deleteKey(service, req), {
    summary: 'Delete one key of an API upstream',
    tag: TAG,
  });
}

function listKeys(service: ConfigService, req: AdminRequest) {
  const name = req.params.name!;
  const upstream = view(service, name);
  if (!upstream) throw notFound(name);
  const offset = intParam(req, 'offset', 0, Number.MAX_SAFE_INTEGER);
  const limit = intParam(req, 'limit', DEFAULT_PAGE, MAX_PAGE) || DEFAULT_PAGE;
  const enabled = req.query.get('enabled');
  const q = req.query.get('q')?.trim() || null;
  const all = allKeys(service, name).filter(
    (k) => (enabled === null || String(k.enabled) === enabled) && (q === null || matches(k, q)),
  );
  return {
    body: {
      upstream: name,
      source: upstream.source,
      total: all.length,
      offset,
      limit,
      keys: all.slice(offset, offset + limit).map(present),
    },
  };
}

async function importKeys(service: ConfigService, req: AdminRequest) {
  const name = req.params.name!;
  const stored = writableUpstream(service, name);
  const secrets = await readKeyImport(req);
  const { fresh, duplicates } = service.store.newKeys(name, secrets);
  if (fresh.length > 0) {
    const keys = [...enabledSecrets(stored), ...fresh];
    await service.change(
      'keys imported',
      { upstream: name, added: fresh.length, duplicates },
      replaceUpstream(service.objects(), { name, definition: stored.definition, keys }),
      () => service.store.addKeys(name, fresh),
    );
  }
  return {
    status: fresh.length > 0 ? 201 : 200,
    body: { upstream: name, added: fresh.length, duplicates, total: stored.keys.length },
  };
}

async function setEnabled(service: ConfigService, req: AdminRequest) {
  const { name, id } = req.params as { name: string; id: string };
  const stored = writableUpstream(service, name);
  const { enabled } = parseInput(patchSchema, await req.json());
  if (!stored.keys.some((k) => k.id === id)) throw notFound(id, 'key');
  const keys = stored.keys.filter((k) => (k.id === id ? enabled : k.enabled)).map((k) => k.secret);
  await service.change(
    enabled ? 'key enabled' : 'key disabled',
    { upstream: name, key_id: id },
    replaceUpstream(service.objects(), { name, definition: stored.definition, keys }),
    () => service.store.setKeyEnabled(name, id, enabled),
  );
  return { body: present(mustFind(service, req)) };
}

async function deleteKey(service: ConfigService, req: AdminRequest) {
  const { name, id } = req.params as { name: string; id: string };
  const stored = writableUpstream(service, name);
  if (!stored.keys.some((k) => k.id === id)) throw notFound(id, 'key');
  const keys = stored.keys.filter((k) => k.enabled && k.id !== id).map((k) => k.secret);
  await service.change(
    'key deleted',
    { upstream: name, key_id: id },
    replaceUpstream(service.objects(), { name, definition: stored.definition, keys }),
    () => service.store.deleteKey(name, id),
  );
  return { status: 204 };
}

interface AnyKey {
  readonly id: string;
  readonly secret: string;
  readonly enabled: boolean;
  readonly source: 'api' | 'file';
  readonly addedAt?: number;
}

/** The upstream's keys, API or file; file keys get their id only when asked for (cheap pages). */
function allKeys(service: ConfigService, name: string): AnyKey[] {
  const stored = service.store.upstream(name);
  if (stored && !service.manager.merged.shadowed.upstreams.includes(name)) {
    return stored.keys.map((k: StoredKey) => ({ ...k, source: 'api' as const }));
  }
  const running = service.config.upstreams.find((u) => u.name === name);
  return (running?.keys ?? []).map((secret) => ({
    get id() {
      return fingerprint(secret);
    },
    secret,
    enabled: true,
    source: 'file' as const,
  }));
}

/**
 * A search: part of the key's id or of its masked form (`...abcd` finds the keys ending abcd).
 * A whole key is searched by its id (the first 12 hex digits of its SHA-256), so it never has
 * to travel in a URL.
 */
function matches(key: AnyKey, q: string): boolean {
  return key.id.includes(q.toLowerCase()) || maskSecret(key.secret).includes(q);
}

function mustFind(service: ConfigService, req: AdminRequest): AnyKey {
  const { name, id } = req.params as { name: string; id: string };
  if (!view(service, name)) throw notFound(name);
  const found = allKeys(service, name).find((k) => k.id === id);
  if (!found) throw notFound(id, 'key');
  return found;
}

function present(key: AnyKey): KeyView {
  return {
    id: key.id,
    key: maskSecret(key.secret),
    enabled: key.enabled,
    source: key.source,
    ...(key.addedAt === undefined ? {} : { added_at: iso(key.addedAt) }),
  };
}

function enabledSecrets(stored: StoredUpstream): string[] {
  return stored.keys.filter((k) => k.enabled).map((k) => k.secret);
}

function intParam(req: AdminRequest, name: string, fallback: number, max: number): number {
  const raw = req.query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw invalid([`${name}: must be a whole number of at least 0`], name);
  }
  return Math.min(value, max);
}
