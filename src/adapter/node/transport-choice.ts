import { ConfigError } from '../../config/errors';
import type { Config } from '../../config/schema/index';
import { LeanTransport } from './lean/transport';
import { UndiciTransport } from './transport';

export type TransportName = Config['server']['transport'];

/**
 * The upstream client to run: `SWITCHYARD_TRANSPORT` when set (an override, so one build can be
 * compared on both without editing its file), else `server.transport`.
 */
export function transportName(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
): TransportName {
  const chosen = env.SWITCHYARD_TRANSPORT;
  if (chosen === undefined || chosen === '') return config.server.transport;
  if (chosen !== 'undici' && chosen !== 'lean')
    throw new ConfigError('environment', ['SWITCHYARD_TRANSPORT: must be "undici" or "lean"']);
  return chosen;
}

export function createTransport(name: TransportName): UndiciTransport | LeanTransport {
  return name === 'lean' ? new LeanTransport() : new UndiciTransport();
}
