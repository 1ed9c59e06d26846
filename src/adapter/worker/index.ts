import { errorBody, GatewayError } from '../../core/errors';
import { runDue } from '../../health/due';
import { FetchExchange } from '../fetch/exchange';
import type { WorkerEnv } from './config';
import { type InvalidConfig, isolateGateway, type WorkerGateway } from './isolate';

/** The part of a Worker's ExecutionContext the gateway uses. */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Switchyard as a Cloudflare Worker (`npm run build:worker`, deploy/cloudflare/): `fetch` serves
 * the gateway, `scheduled` (a Cron Trigger) sends the keep-alive pings and health checks due.
 */
export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    const built = await isolateGateway(env).catch((err: unknown) => {
      console.error(`switchyard: the gateway could not start: ${(err as Error).message}`);
      return new GatewayError('internal_error');
    });
    if (built instanceof GatewayError) return errorResponse(built);
    if ('problems' in built) return errorResponse(invalidConfig(built));
    const path = new URL(request.url).pathname;
    if (isAdminPath(path) && !READ_METHODS.has(request.method)) {
      return errorResponse(new GatewayError('admin_read_only'), { allow: 'GET, HEAD' });
    }
    const exchange = new FetchExchange(request, request.headers.get('cf-connecting-ip') ?? '');
    built.gateway.handle(exchange, exchange);
    ctx.waitUntil(exchange.finished.then(() => accounted(built)));
    return exchange.response;
  },

  async scheduled(_controller: unknown, env: WorkerEnv, ctx: WorkerContext): Promise<void> {
    const built = await isolateGateway(env);
    if ('problems' in built) return;
    const work = Promise.all([runDue(built.monitors, built.clock), prune(built)]).then(([report, pruned]) => {
      built.logger.debug({ ...report, pruned }, 'scheduled: health checks, keep-alive pings, retention');
    });
    ctx.waitUntil(work);
    await work;
  },
};

function isAdminPath(path: string): boolean {
  return path === '/admin' || path.startsWith('/admin/');
}

/** Waits for the request's accounting to run (it is deferred a turn), then writes the request log. */
async function accounted(built: WorkerGateway): Promise<void> {
  for (let turn = 0; turn < 100 && built.gateway.pendingAccounts > 0; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await built.log?.flush();
}

/** One pass of request log retention in D1 (each Cron tick deletes at most one chunk). */
async function prune(built: WorkerGateway): Promise<number> {
  const { retention_days, rollup_retention_days } = built.gateway.runtime.config.request_log;
  return (
    (await built.log?.prune(Date.now(), retention_days, rollup_retention_days).catch((err: unknown) => {
      built.logger.error({ err }, 'request log retention in D1 failed');
      return 0;
    })) ?? 0
  );
}

function invalidConfig(built: InvalidConfig): GatewayError {
  return new GatewayError('invalid_config', {
    message: `The gateway's configuration (SWITCHYARD_CONFIG) is invalid: ${built.problems.join('; ')}`,
  });
}

function errorResponse(err: GatewayError, headers: Record<string, string> = {}): Response {
  return new Response(errorBody(err), {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-request-id': crypto.randomUUID(), ...headers },
  });
}
