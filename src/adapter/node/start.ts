import type { Config } from '../../config/schema/index';
import { Gateway } from '../../core/gateway';
import { registerHealthRoutes } from '../../health/admin-routes';
import { HealthRegistry } from '../../health/registry';
import type { HealthTracker } from '../../health/tracker';
import { KeyValidator } from '../../health/validator';
import { createLogger, type Logger } from '../../observe/logger';
import { Redactor } from '../../observe/redact';
import { type ListeningServer, listen } from './server';
import { UndiciTransport } from './transport';

export interface StartOptions {
  readonly config: Config;
  readonly logger?: Logger;
  /** The redactor the given logger writes through; the gateway registers every secret with it. */
  readonly redactor?: Redactor;
  readonly health?: HealthTracker;
  readonly random?: () => number;
  readonly now?: () => number;
  /** Overrides `server.port` (tests pass 0). */
  readonly port?: number;
}

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly listener: ListeningServer;
  readonly url: string;
  readonly logger: Logger;
  readonly registry: HealthRegistry;
  readonly validator: KeyValidator;
  stop(timeoutMs?: number): Promise<void>;
}

/** Assembles the gateway with the Node adapters and starts listening. */
export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const { config } = options;
  const redactor = options.redactor ?? new Redactor();
  const logger =
    options.logger ??
    createLogger({ level: config.server.log_level, format: config.server.log_format, redactor });
  const transport = new UndiciTransport();
  const registry = new HealthRegistry(logger);
  const health = options.health ?? registry;
  const gateway = new Gateway({
    config,
    logger,
    redactor,
    transport,
    health,
    random: options.random,
    now: options.now,
  });
  const now = options.now ?? Date.now;
  const validator = new KeyValidator(registry, transport, () => gateway.runtime, now, logger);
  registerHealthRoutes(gateway.admin, { registry, validator, runtime: () => gateway.runtime, now, redactor });
  validator.start();
  const listener = await listen(gateway, config.server.host, options.port ?? config.server.port);
  const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
  return {
    gateway,
    listener,
    logger,
    url: `http://${host}:${listener.port}`,
    registry,
    validator,
    async stop(timeoutMs = config.server.shutdown_timeout) {
      validator.stop();
      await listener.drain(timeoutMs);
      await transport.close();
    },
  };
}
