import type { Config } from '../../config/schema/index';
import { Gateway } from '../../core/gateway';
import { noHealthTracking } from '../../health/no-tracking';
import type { HealthTracker } from '../../health/tracker';
import { createLogger, type Logger } from '../../observe/logger';
import { Redactor } from '../../observe/redact';
import { Accounting } from './accounting';
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
  const health = options.health ?? noHealthTracking;
  const accounting = await Accounting.open(config, { logger, redactor, now: options.now });
  const gateway = new Gateway({
    config,
    logger,
    redactor,
    transport,
    health,
    random: options.random,
    now: options.now,
    access: accounting.access,
  });
  accounting.attach(gateway);
  const listener = await listen(gateway, config.server.host, options.port ?? config.server.port).catch(
    (err) => {
      accounting.close();
      throw err;
    },
  );
  const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
  return {
    gateway,
    listener,
    logger,
    url: `http://${host}:${listener.port}`,
    async stop(timeoutMs = config.server.shutdown_timeout) {
      await listener.drain(timeoutMs);
      accounting.close();
      await transport.close();
    },
  };
}
