import type { ClientStore, StoredClient } from '../../../access/clients/client-store';
import { type ClientSettings, clientSettingsSchema } from '../../../config/schema/access';
import type { D1Database } from './types';

interface Row {
  name: string;
  token_digest: ArrayBuffer | Uint8Array | number[];
  token_masked: string;
  settings: string;
  created_at: number;
  updated_at: number;
}

/**
 * API-made clients in D1's `clients` table (same schema as SQLite: the token only as its keyed
 * digest, the name and the digest unique). Every call is one statement against D1, so every
 * isolate sees the same clients; the access layer keeps its own index, rebuilt from `list`.
 */
export class D1ClientStore implements ClientStore {
  constructor(
    private readonly db: D1Database,
    private readonly onError: (err: unknown) => void,
  ) {}

  async list(): Promise<StoredClient[]> {
    const { results } = await this.db.prepare('SELECT * FROM clients ORDER BY name').all<Row>();
    return results.map(fromRow);
  }

  insert(client: StoredClient): Promise<boolean> {
    return this.changed(
      `INSERT INTO clients (name, token_digest, token_masked, settings, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      client.name,
      client.digest.slice(),
      client.maskedKey,
      JSON.stringify(client.settings),
      client.createdAt,
      client.updatedAt,
    );
  }

  update(name: string, settings: ClientSettings, updatedAt: number): Promise<boolean> {
    return this.changed(
      'UPDATE clients SET settings = ?, updated_at = ? WHERE name = ?',
      JSON.stringify(settings),
      updatedAt,
      name,
    );
  }

  replaceKey(name: string, digest: Uint8Array, maskedKey: string, updatedAt: number): Promise<boolean> {
    return this.changed(
      'UPDATE clients SET token_digest = ?, token_masked = ?, updated_at = ? WHERE name = ?',
      digest.slice(),
      maskedKey,
      updatedAt,
      name,
    );
  }

  delete(name: string): Promise<boolean> {
    return this.changed('DELETE FROM clients WHERE name = ?', name);
  }

  /** Runs one write; true when it changed a row. */
  private async changed(sql: string, ...values: unknown[]): Promise<boolean> {
    try {
      const result = await this.db
        .prepare(sql)
        .bind(...values)
        .run();
      return (result.meta.changes ?? 0) > 0;
    } catch (err) {
      this.onError(err);
      throw err;
    }
  }
}

function fromRow(row: Row): StoredClient {
  const digest = row.token_digest;
  return {
    name: row.name,
    digest: Array.isArray(digest) ? Uint8Array.from(digest) : new Uint8Array(digest as ArrayBuffer),
    maskedKey: row.token_masked,
    settings: clientSettingsSchema.parse(JSON.parse(row.settings)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
