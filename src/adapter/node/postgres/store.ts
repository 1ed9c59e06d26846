import type { Logger } from '../../../observe/logger';
import type { SecretBox } from '../../../store/secret-box';
import { PgChanges } from './changes';
import { PgClientStore } from './client-store';
import { PgConfigRepository } from './config-repository';
import { PgConnection, type PgConnectionOptions } from './connection';
import { PgRequestLog, type PgRequestLogOptions } from './request-log';
import { PG_MIGRATIONS } from './schema';
import { checkSecretPg } from './secret-check';

export interface PgStoreOptions extends PgConnectionOptions {
  readonly box: SecretBox;
  /** The gateway secret client tokens are stored under (checked against the database). */
  readonly hmacKey: Uint8Array;
  readonly now?: () => number;
  readonly logger?: Logger;
  readonly requestLog?: PgRequestLogOptions;
}

/**
 * Everything the gateway keeps in PostgreSQL (`store.url`): one pool, the migrations, the change
 * notifications between instances, and the drivers. `open` never fails because the server is
 * unreachable: the store starts `down`, reconnects with backoff, and loads then.
 */
export class PgStore {
  readonly connection: PgConnection;
  readonly changes: PgChanges;
  readonly config: PgConfigRepository;
  readonly clients: PgClientStore;
  readonly requestLog: PgRequestLog;

  private constructor(private readonly options: PgStoreOptions) {
    this.connection = new PgConnection(options, PG_MIGRATIONS);
    this.changes = new PgChanges(this.connection, options, options.logger);
    this.config = new PgConfigRepository(this.connection, options.box, this.changes, options.now);
    this.clients = new PgClientStore(this.connection, this.changes);
    this.requestLog = new PgRequestLog(this.connection, options.requestLog);
    this.changes.onChange((topic) => {
      if (topic !== 'clients') this.refreshConfig();
    });
  }

  /**
   * Connects, migrates and loads the configuration. A wrong secret (the database was sealed
   * under another) rejects; an unreachable server does not.
   */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const store = new PgStore(options);
    if (await store.connection.connect()) await store.load();
    // After a reconnection (or the first connection, when the server was not there at start).
    store.connection.upListeners.unshift(() => store.load());
    return store;
  }

  get up(): boolean {
    return this.connection.up;
  }

  close(): Promise<void> {
    return Promise.all([this.changes.close(), this.connection.close()]).then(() => {});
  }

  private async load(): Promise<void> {
    const { logger } = this.options;
    if (!(await checkSecretPg(this.connection, this.options.hmacKey))) {
      logger?.error(
        'the gateway secret differs from the one this database was written with: client tokens made with the admin API will not match (set SWITCHYARD_SECRET to the one it was made with)',
      );
    }
    await this.config.open();
  }

  private refreshConfig(): void {
    this.config
      .refresh()
      .catch((err: unknown) => this.options.logger?.error({ err }, 'store: reload failed'));
  }
}
