import type { AdminRouter } from '../admin/router';
import { GatewayError } from '../core/errors';
import type { Redactor } from '../observe/redact';
import type { ConfigSnapshot } from '../routing/config-snapshot';
import type { UpstreamKey } from '../routing/key-pool';
import type { Upstream } from '../routing/upstream';
import { keyAvailable } from './key-state';
import type { HealthRegistry } from './registry';
import { upstreamAvailable } from './upstream-state';
import type { KeyValidator } from './validator';

export interface HealthRouteDeps {
  readonly registry: HealthRegistry;
  readonly validator: KeyValidator;
  readonly runtime: () => ConfigSnapshot;
  readonly now: () => number;
  readonly redactor: Redactor;
}

const TAG = 'health';

/** The operator's view of key and upstream health, and the actions on it (docs/health.md). */
export function registerHealthRoutes(router: AdminRouter, deps: HealthRouteDeps): void {
  router.add('GET', '/admin/health', () => ({ body: { upstreams: upstreamViews(deps) } }), {
    tag: TAG,
    summary: 'Health of every upstream: state, ejection, consecutive faults, usable keys',
  });
  router.add(
    'GET',
    '/admin/keys',
    (req) => ({
      body: { keys: keyViews(deps, req.query.get('upstream'), req.query.get('state'), idList(req.query)) },
    }),
    {
      tag: TAG,
      summary: 'Keys with their health (masked): state, cooldown, failures, last verdict and error',
      query: [
        { name: 'upstream', description: 'only this upstream' },
        { name: 'state', description: 'active, cooling or disabled' },
        { name: 'ids', description: 'only these key ids, comma separated (a page of keys)' },
      ],
    },
  );
  router.add('GET', '/admin/blacklist', () => ({ body: { keys: keyViews(deps, null, 'disabled') } }), {
    tag: TAG,
    summary: 'Disabled keys (gpt-load style)',
  });
  router.add('POST', '/admin/health/reset', () => resetAll(deps), {
    tag: TAG,
    summary: 'Reset the health of every upstream and key',
  });
  router.add(
    'POST',
    '/admin/upstreams/:name/health/reset',
    (req) => {
      deps.registry.resetUpstream(findUpstream(deps, req.params.name!));
      return { body: { reset: req.params.name } };
    },
    { tag: TAG, summary: 'Reset one upstream and its keys' },
  );
  router.add(
    'POST',
    '/admin/upstreams/:name/keys/:key/reset',
    (req) => {
      const upstream = findUpstream(deps, req.params.name!);
      const key = findKey(upstream, req.params.key!);
      deps.registry.resetKey(upstream, key);
      return { body: { reset: key.masked } };
    },
    { tag: TAG, summary: 'Reset one key (by its id from GET /admin/keys)' },
  );
  router.add(
    'POST',
    '/admin/upstreams/:name/keys/:key/validate',
    async (req) => {
      const upstream = findUpstream(deps, req.params.name!);
      return { body: await deps.validator.validate(upstream, findKey(upstream, req.params.key!)) };
    },
    { tag: TAG, summary: 'Validate one key now (by its id from GET /admin/keys); success makes it active' },
  );
  router.add(
    'POST',
    '/admin/keys/validate',
    async () => ({ body: { results: await deps.validator.runDue(true) } }),
    {
      tag: TAG,
      summary: 'Validate every disabled key now',
    },
  );
}

function resetAll(deps: HealthRouteDeps) {
  const names: string[] = [];
  for (const upstream of deps.runtime().upstreams.values()) {
    deps.registry.resetUpstream(upstream);
    names.push(upstream.name);
  }
  return { body: { reset: names } };
}

function findUpstream(deps: HealthRouteDeps, name: string): Upstream {
  const upstream = deps.runtime().upstreams.get(name);
  if (!upstream) throw new GatewayError('resource_not_found', { message: `No upstream named "${name}".` });
  return upstream;
}

function findKey(upstream: Upstream, id: string): UpstreamKey {
  const key = upstream.keys.keys.find((k) => k.id === id);
  if (!key)
    throw new GatewayError('resource_not_found', {
      message: `No key with id "${id}" in "${upstream.name}".`,
    });
  return key;
}

function upstreamViews(deps: HealthRouteDeps) {
  const now = deps.now();
  return [...deps.runtime().upstreams.values()].map((upstream) => {
    const state = deps.registry.peekUpstream(upstream.name);
    let usableKeys = 0;
    for (const key of upstream.keys.keys) {
      const keyState = deps.registry.peekKey(upstream.name, key.id);
      if (!keyState || keyAvailable(keyState, now)) usableKeys++;
    }
    return {
      name: upstream.name,
      state: state?.probeDown ? 'probe-down' : (state?.status ?? 'healthy'),
      usable: !state || upstreamAvailable(state, now),
      ejected_until: state && state.status === 'ejected' ? new Date(state.ejectedUntil).toISOString() : null,
      ejections: state?.ejections ?? 0,
      consecutive_faults: state?.consecutiveFaults ?? 0,
      reason: state?.probeDown ? state.probeReason : (state?.reason ?? ''),
      requests: state?.requests ?? 0,
      faults: state?.faults ?? 0,
      keys: { total: upstream.keys.size, usable: usableKeys },
    };
  });
}

function idList(query: URLSearchParams): ReadonlySet<string> | null {
  const ids = query.get('ids');
  return ids === null ? null : new Set(ids.split(',').filter(Boolean));
}

function keyViews(
  deps: HealthRouteDeps,
  only: string | null,
  stateFilter: string | null,
  ids: ReadonlySet<string> | null = null,
) {
  const now = deps.now();
  const views = [];
  for (const upstream of deps.runtime().upstreams.values()) {
    if (only && upstream.name !== only) continue;
    for (const key of upstream.keys.keys) {
      if (ids && !ids.has(key.id)) continue;
      const view = keyView(deps, upstream, key, now);
      if (!stateFilter || view.state === stateFilter) views.push(view);
    }
  }
  return views;
}

function keyView(deps: HealthRouteDeps, upstream: Upstream, key: UpstreamKey, now: number) {
  const state = deps.registry.peekKey(upstream.name, key.id);
  const effective = !state || keyAvailable(state, now) ? 'active' : state.status;
  return {
    upstream: upstream.name,
    id: key.id,
    key: key.masked,
    state: effective,
    until: state && effective !== 'active' ? new Date(state.until).toISOString() : null,
    consecutive_failures: state?.consecutiveFailures ?? 0,
    last_verdict: state?.lastVerdict ?? null,
    last_status: state?.lastStatus || null,
    last_error: state?.lastError ? deps.redactor.redact(state.lastError) : null,
    reason: state?.reason ?? '',
    requests: state?.requests ?? 0,
    successes: state?.successes ?? 0,
    last_used_at: state?.lastUsedAt ? new Date(state.lastUsedAt).toISOString() : null,
  };
}
