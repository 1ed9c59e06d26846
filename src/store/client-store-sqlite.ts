import type { ClientStore, StoredClient } from '../access/clients/client-store';
import { type ClientSettings, clientSettingsSchema } from '../config/schema/access';
import type { SqliteDatabase } from './sqlite';

interface Row {
  name: string;
  token_digest: Buffer;
  token_masked: string;
  settings: string;
  created_at: number;
  updated_at: number;
}

/** API-made clients in the `clients` table: the token only as its keyed digest, never in clear. */
export class SqliteClientStore implements ClientStore {
  constructor(private readonly db: SqliteDatabase) {}

  list(): StoredClient[] {
    const rows = this.db.prepare('SELECT * FROM clients ORDER BY name').all() as Row[];
    return rows.map((row) => ({
      name: row.name,
      digest: row.token_digest,
      maskedKey: row.token_masked,
      settings: clientSettingsSchema.parse(JSON.parse(row.settings)),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  insert(client: StoredClient): boolean {
    const result = this.db
      .prepare(
        `INSERT INTO clients (name, token_digest, token_masked, settings, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(
        client.name,
        client.digest,
        client.maskedKey,
        JSON.stringify(client.settings),
        client.createdAt,
        client.updatedAt,
      );
    return result.changes === 1;
  }

  update(name: string, settings: ClientSettings, updatedAt: number): boolean {
    const result = this.db
      .prepare('UPDATE clients SET settings = ?, updated_at = ? WHERE name = ?')
      .run(JSON.stringify(settings), updatedAt, name);
    return result.changes === 1;
  }

  replaceKey(name: string, digest: Buffer, maskedKey: string, updatedAt: number): boolean {
    const result = this.db
      .prepare('UPDATE clients SET token_digest = ?, token_masked = ?, updated_at = ? WHERE name = ?')
      .run(digest, maskedKey, updatedAt, name);
    return result.changes === 1;
  }

  delete(name: string): boolean {
    return this.db.prepare('DELETE FROM clients WHERE name = ?').run(name).changes === 1;
  }
}
