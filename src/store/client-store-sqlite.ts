import type { ClientStore, StoredClient } from '../access/clients/client-store';
import { type ClientSettings, clientSettingsSchema } from '../config/schema/access';
import type { SqliteDatabase, SqliteStatement } from './sqlite';

interface Row {
  name: string;
  token_digest: Uint8Array;
  token_masked: string;
  settings: string;
  created_at: number;
  updated_at: number;
}

/**
 * API-made clients in the `clients` table: the token only as its keyed digest, never in clear.
 * The statements are prepared once, when the store is made.
 */
export class SqliteClientStore implements ClientStore {
  private readonly statements: Record<
    'list' | 'insert' | 'update' | 'replaceKey' | 'delete',
    SqliteStatement
  >;

  constructor(db: SqliteDatabase) {
    this.statements = {
      list: db.prepare('SELECT * FROM clients ORDER BY name'),
      insert: db.prepare(
        `INSERT INTO clients (name, token_digest, token_masked, settings, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      update: db.prepare('UPDATE clients SET settings = ?, updated_at = ? WHERE name = ?'),
      replaceKey: db.prepare(
        'UPDATE clients SET token_digest = ?, token_masked = ?, updated_at = ? WHERE name = ?',
      ),
      delete: db.prepare('DELETE FROM clients WHERE name = ?'),
    };
  }

  async list(): Promise<StoredClient[]> {
    const rows = this.statements.list.all() as Row[];
    return rows.map((row) => ({
      name: row.name,
      digest: new Uint8Array(row.token_digest),
      maskedKey: row.token_masked,
      settings: clientSettingsSchema.parse(JSON.parse(row.settings)),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  async insert(client: StoredClient): Promise<boolean> {
    const { name, digest, maskedKey, settings, createdAt, updatedAt } = client;
    const result = this.statements.insert.run(
      name,
      digest,
      maskedKey,
      JSON.stringify(settings),
      createdAt,
      updatedAt,
    );
    return result.changes === 1;
  }

  async update(name: string, settings: ClientSettings, updatedAt: number): Promise<boolean> {
    return this.statements.update.run(JSON.stringify(settings), updatedAt, name).changes === 1;
  }

  async replaceKey(name: string, digest: Uint8Array, maskedKey: string, updatedAt: number): Promise<boolean> {
    return this.statements.replaceKey.run(digest, maskedKey, updatedAt, name).changes === 1;
  }

  async delete(name: string): Promise<boolean> {
    return this.statements.delete.run(name).changes === 1;
  }
}
