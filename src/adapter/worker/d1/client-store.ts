import type { ClientStore, StoredClient } from '../../../access/clients/client-store';
import { type ClientSettings, clientSettingsSchema } from '../../../config/schema/access';
import { equalBytes } from '../../../core/crypto';
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
 * digest). The table is read once per isolate (`load`, or the first call) and kept in memory;
 * each change is written through and resolves when D1 has it.
 */
export class D1ClientStore implements ClientStore {
  private clients = new Map<string, StoredClient>();
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly db: D1Database,
    private readonly onError: (err: unknown) => void,
  ) {}

  load(): Promise<void> {
    this.loaded ??= this.db
      .prepare('SELECT * FROM clients ORDER BY name')
      .all<Row>()
      .then(({ results }) => {
        this.clients = new Map(results.map((row) => [row.name, fromRow(row)]));
      });
    return this.loaded;
  }

  async list(): Promise<StoredClient[]> {
    await this.load();
    return [...this.clients.values()];
  }

  async insert(client: StoredClient): Promise<boolean> {
    await this.load();
    if (this.clients.has(client.name)) return false;
    for (const other of this.clients.values()) if (equalBytes(other.digest, client.digest)) return false;
    this.clients.set(client.name, client);
    await this.write(
      `INSERT INTO clients (name, token_digest, token_masked, settings, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      client.name,
      new Uint8Array(client.digest),
      client.maskedKey,
      JSON.stringify(client.settings),
      client.createdAt,
      client.updatedAt,
    );
    return true;
  }

  async update(name: string, settings: ClientSettings, updatedAt: number): Promise<boolean> {
    await this.load();
    const found = this.clients.get(name);
    if (!found) return false;
    this.clients.set(name, { ...found, settings, updatedAt });
    await this.write(
      'UPDATE clients SET settings = ?, updated_at = ? WHERE name = ?',
      JSON.stringify(settings),
      updatedAt,
      name,
    );
    return true;
  }

  async replaceKey(name: string, digest: Uint8Array, maskedKey: string, updatedAt: number): Promise<boolean> {
    await this.load();
    const found = this.clients.get(name);
    if (!found) return false;
    this.clients.set(name, { ...found, digest, maskedKey, updatedAt });
    await this.write(
      'UPDATE clients SET token_digest = ?, token_masked = ?, updated_at = ? WHERE name = ?',
      new Uint8Array(digest),
      maskedKey,
      updatedAt,
      name,
    );
    return true;
  }

  async delete(name: string): Promise<boolean> {
    await this.load();
    if (!this.clients.delete(name)) return false;
    await this.write('DELETE FROM clients WHERE name = ?', name);
    return true;
  }

  private async write(sql: string, ...values: unknown[]): Promise<void> {
    try {
      await this.db
        .prepare(sql)
        .bind(...values)
        .run();
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
