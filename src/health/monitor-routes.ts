import type { AdminRouter } from '../admin/router';
import { GatewayError } from '../core/errors';
import type { Redactor } from '../observe/redact';
import type { ConfigSnapshot } from '../routing/config-snapshot';
import type { UpstreamStats } from '../routing/upstream-stats';
import type { ActiveHealthChecks } from './active-checks';
import type { KeepAlivePings } from './keepalive';

/** What the monitor routes read of the gateway: its admin router, configuration and live figures. */
export interface RoutesGateway {
  readonly admin: AdminRouter;
  readonly runtime: ConfigSnapshot;
  readonly upstreamStats: UpstreamStats;
}

interface MonitorRouteDeps {
  readonly checks: ActiveHealthChecks;
  readonly keepalive: KeepAlivePings;
  readonly redactor: Redactor;
}

/**
 * Admin endpoints for the operator: keep-alive results, active health check states, and the
 * upstreams ranked by live latency. Replies pass through the redactor (error texts may quote
 * upstream answers).
 */
export function registerMonitorRoutes(gateway: RoutesGateway, deps: MonitorRouteDeps): void {
  const { admin } = gateway;
  const redacted = (value: unknown) => JSON.parse(deps.redactor.redact(JSON.stringify(value))) as unknown;
  admin.add('GET', '/admin/keepalive', () => ({ body: redacted({ upstreams: deps.keepalive.report() }) }), {
    summary: 'Keep-alive pings per upstream: schedule, next run, counts and the last results',
    tag: 'routing',
  });
  admin.add(
    'POST',
    '/admin/keepalive/:upstream/ping',
    async (req) => {
      const result = await deps.keepalive.pingNow(req.params.upstream!);
      if (!result) {
        throw new GatewayError('resource_not_found', {
          message: `Upstream "${req.params.upstream}" has no keep-alive ping configured.`,
        });
      }
      return { body: redacted(result) };
    },
    { summary: 'Send one keep-alive ping now', tag: 'routing' },
  );
  admin.add('GET', '/admin/health-checks', () => ({ body: redacted({ upstreams: deps.checks.report() }) }), {
    summary: 'Active health check state per upstream',
    tag: 'routing',
  });
  admin.add(
    'POST',
    '/admin/health-checks/:upstream/run',
    async (req) => {
      const result = await deps.checks.runNow(req.params.upstream!);
      if (!result) {
        throw new GatewayError('resource_not_found', {
          message: `Upstream "${req.params.upstream}" has no health check configured.`,
        });
      }
      return { body: redacted(result) };
    },
    { summary: "Run one upstream's active health check now and return its state", tag: 'routing' },
  );
  admin.add(
    'GET',
    '/admin/upstreams/ranking',
    (req) => {
      const route = req.query.get('route');
      const names = route === null ? [...gateway.runtime.upstreams.keys()] : routeMembers(gateway, route);
      return { body: redacted({ upstreams: gateway.upstreamStats.ranking(names) }) };
    },
    {
      summary: 'Upstreams ranked by live latency and errors (real traffic and probes), best first',
      tag: 'routing',
      query: [{ name: 'route', description: "only this route's upstreams" }],
    },
  );
}

function routeMembers(gateway: RoutesGateway, name: string): string[] {
  const route = gateway.runtime.routes.find((r) => r.name === name);
  if (!route) throw new GatewayError('resource_not_found', { message: `No route named "${name}".` });
  const pools = route.split ? route.split.groups.map((group) => group.pool) : [route];
  return [...new Set(pools.flatMap((pool) => pool.members.map((member) => member.name)))];
}
