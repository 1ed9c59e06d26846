import { GatewayAccess } from '../../access/access';
import { ClientAdmin } from '../../access/clients/client-admin';
import { registerClientRoutes } from '../../admin/access-routes';
import { ConfigError } from '../../config/errors';
import type { Config } from '../../config/schema/index';
import { Gateway } from '../../gateway/gateway';
import { registerHealthRoutes } from '../../health/admin-routes';
import { DueClock } from '../../health/due';
import { startUpstreamMonitors, type UpstreamMonitors } from '../../health/monitors';
import { HealthRegistry } from '../../health/registry';
import { KeyValidator } from '../../health/validator';
import type { Logger } from '../../observe/logger';
import { Redactor } from '../../observe/redact';
import { requestRecord } from '../../observe/request-record';
import { CONFIG_VARIABLE, type WorkerEnv, workerConfig } from './config';
import { D1ClientStore } from './d1/client-store';
import { migrateD1 } from './d1/migrate';
import { D1RequestLog } from './d1/request-log';
import { type D1Database, isD1 } from './d1/types';
import { FetchTransport } from './fetch-transport';
import { workerLogger } from './logger';
import { fetchProbeSender } from './probe-sender';

/** The D1 binding the request log and client tokens persist in, when the Worker has one. */
export const D1_BINDING = 'SWITCHYARD_DB';

/** The gateway of one isolate, with what the Worker's handlers need around it. */
export interface WorkerGateway {
  readonly gateway: Gateway;
  readonly monitors: UpstreamMonitors;
  readonly clock: DueClock;
  readonly logger: Logger;
  readonly log: D1RequestLog | undefined;
}

/** The configuration did not validate: every request is answered with these problems. */
export interface InvalidConfig {
  readonly problems: readonly string[];
}

let current:
  | { readonly text: string | undefined; readonly ready: Promise<WorkerGateway | InvalidConfig> }
  | undefined;

/**
 * The isolate's gateway, built on first use and rebuilt when the configuration text changes.
 * Health, limits and schedules live as long as the isolate. A build that fails for another
 * reason than the configuration (D1 unreachable) is not kept: the next request tries again.
 */
export function isolateGateway(env: WorkerEnv): Promise<WorkerGateway | InvalidConfig> {
  const raw = env[CONFIG_VARIABLE];
  const text = typeof raw === 'string' ? raw : undefined;
  if (current && current.text === text) return current.ready;
  const previous = current?.ready;
  const ready = build(text, env);
  current = { text, ready };
  void previous?.then((built) => ('monitors' in built ? built.monitors.stop() : undefined)).catch(() => {});
  ready.catch(() => {
    if (current?.ready === ready) current = undefined;
  });
  return ready;
}

async function build(text: string | undefined, env: WorkerEnv): Promise<WorkerGateway | InvalidConfig> {
  const redactor = new Redactor();
  let config: ReturnType<typeof workerConfig>;
  try {
    config = workerConfig(text, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    workerLogger(redactor, 'error').error({ problems: err.problems }, err.message);
    return { problems: err.problems };
  }
  const logger = workerLogger(redactor, config.server.log_level);
  const db = isD1(env[D1_BINDING]) ? (env[D1_BINDING] as D1Database) : undefined;
  const stores = db ? await openD1(db, logger, config.request_log) : undefined;
  const secret = typeof env.SWITCHYARD_SECRET === 'string' ? env.SWITCHYARD_SECRET : undefined;
  if (db && !secret) logger.warn('SWITCHYARD_SECRET is not set: client tokens stored in D1 cannot match');
  if (config.state.url)
    logger.warn('state.url is not used on Cloudflare Workers: live state stays in each isolate');
  const access = new GatewayAccess(config, {
    clientStore: stores?.clients,
    hmacKey: secret ? await secretKey(secret) : undefined,
    warn: (message) => logger.warn(message),
  });
  await access.ready; // the stored client tokens, read from D1 before the first request
  const registry = new HealthRegistry(logger);
  const gateway = new Gateway({
    config,
    logger,
    redactor,
    transport: new FetchTransport(),
    health: registry,
    access,
  });
  const log = stores?.log;
  if (log) {
    const redact = (line: string) => redactor.redact(line);
    gateway.requestListeners.push((ctx) => log.enqueue(requestRecord(ctx, Date.now(), redact)));
  }
  registerClientRoutes(gateway.admin, new ClientAdmin(access));
  const clock = new DueClock();
  const runtime = () => gateway.runtime;
  const validator = new KeyValidator(registry, fetchProbeSender, clock, runtime, Date.now, logger);
  registerHealthRoutes(gateway.admin, { registry, validator, runtime, now: Date.now, redactor });
  const monitors = startUpstreamMonitors(gateway, { clock, send: fetchProbeSender, redactor });
  return { gateway, monitors, clock, logger, log };
}

async function openD1(
  db: D1Database,
  logger: Logger,
  requestLog: Config['request_log'],
): Promise<{ clients: D1ClientStore; log: D1RequestLog | undefined }> {
  await migrateD1(db);
  const clients = new D1ClientStore(db, (err) => logger.error({ err }, 'D1: a client change was not saved'));
  const onError = (err: unknown) => logger.error({ err }, 'request log: a batch could not be written to D1');
  const log = requestLog.enabled ? new D1RequestLog(db, onError, requestLog.queue_limit) : undefined;
  return { clients, log };
}

/** The HMAC key client tokens are stored under: SHA-256 of the secret, as on Node. */
async function secretKey(secret: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
}
