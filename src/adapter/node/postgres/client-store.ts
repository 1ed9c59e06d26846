import type { ClientStore, StoredClient } from '../../../access/clients/client-store';
import { type ClientSettings, clientSettingsSchema } from '../../../config/schema/access';
import type { PgChanges } from './changes';
import type { PgConnection, Queryable } from './connection';

interface Row {
  name: string;
  token_digest: Buffer;
  token_masked: string;
  settings: unknown;
  created_at: number;
  updated_at: number;
}

/**
 * API-made clients in PostgreSQL's `clients` table: the token only as its keyed digest. Each
 * write is one statement in a transaction that also tells the other instances to reload theirs.
 */
export class PgClientStore implements ClientStore {
  constructor(
    private readonly db: PgConnection,
    private readonly changes?: PgChanges,
  ) {}

  async list(): Promise<StoredClient[]> {
    const { rows } = await this.db.query<Row>('SELECT * FROM clients ORDER BY name');
    return rows.map((row) => ({
      name: row.name,
      digest: new Uint8Array(row.token_digest),
      maskedKey: row.token_masked,
      settings: clientSettingsSchema.parse(row.settings),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  async insert(client: StoredClient): Promise<boolean> {
    const { name, digest, maskedKey, settings, createdAt, updatedAt } = client;
    return this.changed(
      `INSERT INTO clients (name, token_digest, token_masked, settings, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [name, Buffer.from(digest), maskedKey, JSON.stringify(settings), createdAt, updatedAt],
    );
  }

  async update(name: string, settings: ClientSettings, updatedAt: number): Promise<boolean> {
    return this.changed('UPDATE clients SET settings = $1, updated_at = $2 WHERE name = $3', [
      JSON.stringify(settings),
      updatedAt,
      name,
    ]);
  }

  async replaceKey(name: string, digest: Uint8Array, maskedKey: string, updatedAt: number): Promise<boolean> {
    return this.changed(
      'UPDATE clients SET token_digest = $1, token_masked = $2, updated_at = $3 WHERE name = $4',
      [Buffer.from(digest), maskedKey, updatedAt, name],
    );
  }

  async delete(name: string): Promise<boolean> {
    return this.changed('DELETE FROM clients WHERE name = $1', [name]);
  }

  /** Runs one statement with the change notification; whether it changed exactly one row. */
  private changed(sql: string, params: readonly unknown[]): Promise<boolean> {
    return this.db.transaction(async (tx: Queryable) => {
      const changed = (await tx.query(sql, params as unknown[])).rowCount === 1;
      if (changed) await this.changes?.notify(tx, 'clients');
      return changed;
    });
  }
}
