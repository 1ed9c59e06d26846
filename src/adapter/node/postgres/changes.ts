import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../../observe/logger';
import type { PgConnection, PgConnectionOptions, Queryable } from './connection';

/** What changed: the admin-made configuration, or API-made clients. */
export type ChangeTopic = 'config' | 'clients';

const CHANNEL = 'switchyard_changes';

interface Payload {
  readonly scope: string;
  readonly from: string;
  readonly topic: ChangeTopic;
}

/**
 * Tells the other instances on the same database that something they hold in memory changed,
 * with LISTEN/NOTIFY: a writer adds `pg_notify` to its transaction (delivered on commit, never
 * for a rolled-back write), and every other instance's listener reloads that part. Notifications
 * are not queued for a listener that is not connected, so the listener's connection coming back
 * counts as "everything may have changed". `scope` (the current schema) keeps stores that share
 * a database apart; an instance ignores its own notifications.
 */
export class PgChanges {
  readonly instance = randomUUID();
  private readonly listeners: ((topic: ChangeTopic | 'all') => void)[] = [];
  private client: pg.Client | undefined;
  private closed = false;
  private reconnect: NodeJS.Timeout | undefined;
  /** The schema the store's tables are in (`search_path`): stores in one database stay apart. */
  private scope = '';

  constructor(
    private readonly connection: PgConnection,
    private readonly options: PgConnectionOptions,
    private readonly logger?: Logger,
  ) {
    connection.upListeners.push(() => this.listen());
  }

  onChange(listener: (topic: ChangeTopic | 'all') => void): void {
    this.listeners.push(listener);
  }

  /** Adds the notification to the writer's transaction. */
  async notify(tx: Queryable, topic: ChangeTopic): Promise<void> {
    const payload: Payload = { scope: this.scope, from: this.instance, topic };
    await tx.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(payload)]);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async listen(): Promise<void> {
    if (this.closed || this.client) return;
    const client = new pg.Client({ connectionString: this.options.url });
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    client.on('notification', (message) => this.received(message.payload));
    try {
      const current = await this.connection.query<{ schema: string | null }>(
        'SELECT current_schema() AS schema',
      );
      this.scope = current.rows[0]?.schema ?? '';
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      this.logger?.warn({ store: (err as Error).message }, 'store: change listener not connected');
      await client.end().catch(() => {});
      this.connection.lost(err);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    // Whatever changed while nobody listened is read again.
    for (const listener of this.listeners) listener('all');
  }

  private dropped(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.closed) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      if (this.connection.up) void this.listen();
      else void this.connection.connect();
    }, 250);
    this.reconnect.unref();
  }

  private received(text: string | undefined): void {
    let payload: Payload;
    try {
      payload = JSON.parse(text ?? '') as Payload;
    } catch {
      return;
    }
    if (payload.scope !== this.scope || payload.from === this.instance) return;
    for (const listener of this.listeners) listener(payload.topic);
  }
}
