import type { ClientAdmin } from '../access/clients/client-admin';
import { GatewayError } from '../core/errors';
import { USAGE_GROUPS, type UsageGroup, type UsageQuery } from '../store/request-log/rollups';
import type { RequestLogSink, RequestQuery } from '../store/types';
import type { AdminRouter } from './router';

const TAG_CLIENTS = 'clients';
const TAG_LOG = 'request log';

/** `/admin/clients…`: client tokens. Create and rotate return the token, once; reads mask it. */
export function registerClientRoutes(router: AdminRouter, clients: ClientAdmin): void {
  router.add('GET', '/admin/clients', async () => ({ body: { data: await clients.list() } }), {
    summary: 'List clients (keys masked) with their current usage against quota and budget',
    tag: TAG_CLIENTS,
  });
  router.add(
    'POST',
    '/admin/clients',
    async (req) => ({ status: 201, body: await clients.create(await req.json()) }),
    {
      summary: 'Create a client; the answer holds its full key, shown this once',
      tag: TAG_CLIENTS,
    },
  );
  router.add('GET', '/admin/clients/:name', async (req) => ({ body: await clients.get(req.params.name!) }), {
    summary: 'One client (key masked)',
    tag: TAG_CLIENTS,
  });
  router.add(
    'PATCH',
    '/admin/clients/:name',
    async (req) => ({ body: await clients.update(req.params.name!, await req.json()) }),
    {
      summary: 'Change a client’s settings (null clears a field); clients from the file are read-only',
      tag: TAG_CLIENTS,
    },
  );
  router.add(
    'POST',
    '/admin/clients/:name/rotate',
    async (req) => ({ body: await clients.rotate(req.params.name!) }),
    {
      summary: 'Replace a client’s key; the answer holds the new key, shown this once',
      tag: TAG_CLIENTS,
    },
  );
  router.add(
    'DELETE',
    '/admin/clients/:name',
    async (req) => {
      await clients.delete(req.params.name!);
      return { status: 204 };
    },
    { summary: 'Delete a client made with the API', tag: TAG_CLIENTS },
  );
}

/** `/admin/requests` (the request log, filtered and paged) and `/admin/usage` (hourly rollups). */
export function registerRequestLogRoutes(
  router: AdminRouter,
  log: RequestLogSink,
  usage: (query: UsageQuery) => Record<string, unknown>[] | Promise<Record<string, unknown>[]>,
  flush: () => Promise<void>,
): void {
  router.add(
    'GET',
    '/admin/requests',
    async (req) => {
      const query = requestQuery(req.query);
      await flush();
      return { body: await log.query(query) };
    },
    {
      summary: 'The request log, newest first, with filters and cursor pagination',
      tag: TAG_LOG,
      query: [
        { name: 'from', description: 'start time (ISO 8601 or epoch ms), inclusive' },
        { name: 'to', description: 'end time (ISO 8601 or epoch ms), exclusive' },
        { name: 'client', description: 'client name' },
        { name: 'upstream', description: 'upstream name' },
        { name: 'model', description: 'requested model' },
        { name: 'route', description: 'route name' },
        { name: 'verdict', description: 'verdict: success, rate_limited, upstream_fault…' },
        { name: 'status', description: 'status: 429, a class such as 5xx, or error' },
        { name: 'limit', description: 'rows per page, 1-1000, default 100' },
        { name: 'cursor', description: 'next_cursor from the previous page' },
      ],
    },
  );
  router.add(
    'GET',
    '/admin/requests/:id',
    async (req) => {
      await flush();
      const page = await log.query({ requestId: req.params.id!, limit: 1 });
      if (page.data.length === 0)
        throw new GatewayError('resource_not_found', { message: 'No such request in the log.' });
      return { body: page.data[0] };
    },
    { summary: 'One request of the log, by its request id', tag: TAG_LOG },
  );
  router.add(
    'GET',
    '/admin/usage',
    async (req) => {
      await flush();
      const q = req.query;
      const groupBy = (q.get('group_by') ?? 'client,model').split(',').filter(Boolean);
      for (const group of groupBy) {
        if (!USAGE_GROUPS.includes(group as UsageGroup)) {
          throw invalid(`group_by: "${group}" is not one of ${USAGE_GROUPS.join(', ')}`);
        }
      }
      const data = await usage({
        from: time(q.get('from'), 'from'),
        to: time(q.get('to'), 'to'),
        client: q.get('client') ?? undefined,
        upstream: q.get('upstream') ?? undefined,
        key: q.get('key') ?? undefined,
        model: q.get('model') ?? undefined,
        groupBy: groupBy as UsageGroup[],
      });
      return { body: { group_by: groupBy, data } };
    },
    {
      summary: 'Usage from the hourly rollups: requests, tokens and cost, grouped as asked',
      tag: TAG_LOG,
      query: [
        { name: 'group_by', description: 'comma list of client, upstream, key, model, hour, day' },
        { name: 'from', description: 'start time, inclusive (rounded down to the hour)' },
        { name: 'to', description: 'end time, exclusive' },
        { name: 'client', description: 'client name' },
        { name: 'upstream', description: 'upstream name' },
        { name: 'key', description: 'key fingerprint' },
        { name: 'model', description: 'model' },
      ],
    },
  );
}

function requestQuery(q: URLSearchParams): RequestQuery {
  const limit = q.get('limit');
  const status = q.get('status') ?? undefined;
  if (status !== undefined && !/^(?:\d{3}|[1-5]xx|error)$/i.test(status)) {
    throw invalid('status: use a status (429), a class (5xx) or "error"');
  }
  const cursor = q.get('cursor') ?? undefined;
  if (cursor !== undefined && !/^[A-Za-z0-9_-]+$/.test(cursor))
    throw invalid('cursor: not one this API gave');
  return {
    from: time(q.get('from'), 'from'),
    to: time(q.get('to'), 'to'),
    client: q.get('client') ?? undefined,
    upstream: q.get('upstream') ?? undefined,
    model: q.get('model') ?? undefined,
    route: q.get('route') ?? undefined,
    verdict: q.get('verdict') ?? undefined,
    status,
    cursor,
    limit: limit === null ? undefined : Number(limit) || 100,
  };
}

function time(value: string | null, field: string): number | undefined {
  if (value === null || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) throw invalid(`${field}: "${value}" is not a time (ISO 8601 or epoch milliseconds)`);
  return ms;
}

function invalid(message: string): GatewayError {
  return new GatewayError('validation_failed', { message });
}
