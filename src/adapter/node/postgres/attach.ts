import type { Config } from '../../../config/schema/index';
import type { Gateway } from '../../../gateway/gateway';
import { urlCredentials } from '../../../observe/config-secrets';
import type { Logger } from '../../../observe/logger';
import type { Redactor } from '../../../observe/redact';
import { gatewaySecret } from '../../../store/secret';
import { loadMasterKey, SecretBox } from '../../../store/secret-box';
import type { Accounting } from '../accounting';
import type { ControlPlane } from '../control-plane';
import { PgStore } from './store';

export interface OpenOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly now?: () => number;
}

/**
 * Opens the PostgreSQL store `store.url` names, sealed with the same secret as the SQLite store
 * would be (`SWITCHYARD_SECRET`, else `secret.key` beside `store.path`: every instance needs the
 * same one). The URL's password is registered with the redactor before anything is logged.
 */
export async function openConfiguredPgStore(config: Config, options: OpenOptions): Promise<PgStore> {
  const url = config.store.url!;
  for (const secret of urlCredentials(url)) options.redactor.add(secret);
  const master = loadMasterKey(options.env, config.store.path);
  options.logger.info(
    { store: 'postgresql', secret_key: master.origin },
    'store: PostgreSQL (store.url); secrets sealed with AES-256-GCM',
  );
  return PgStore.open({
    url,
    box: new SecretBox(master.key),
    hmacKey: gatewaySecret(options.env, config.store.path),
    logger: options.logger,
    redact: (text) => options.redactor.redact(text),
    now: options.now,
    requestLog: {
      bufferLimit: config.request_log.queue_limit,
      onDrop: (n) =>
        options.logger.warn(
          { dropped: n },
          'request log: PostgreSQL unreachable, buffer full, records dropped',
        ),
    },
  });
}

/**
 * Wires the store to the running gateway: changes made by another instance are applied here
 * (configuration and clients), and `/health` shows the store's state.
 */
export function attachPgStore(
  store: PgStore,
  gateway: Gateway,
  control: ControlPlane,
  accounting: Accounting,
): void {
  store.config.onChange.push(() => {
    control.applyStored('configuration changed on another instance');
  });
  store.changes.onChange((topic) => {
    if (topic === 'config') return;
    accounting.access.reloadClients().catch((err: unknown) => {
      gateway.logger.error({ err }, 'store: clients not reloaded');
    });
  });
  gateway.dependencies.set('store', () => ({
    up: store.up,
    ...(store.up ? {} : { error: store.connection.lastError ?? 'unreachable' }),
    ...(store.requestLog.buffered > 0
      ? { detail: `request log buffered: ${store.requestLog.buffered}` }
      : {}),
  }));
}
