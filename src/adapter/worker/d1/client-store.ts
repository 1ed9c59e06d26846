import { Buffer } from 'node:buffer';
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
 * digest). The access layer reads clients synchronously, so the table is loaded once per isolate
 * (`load`) and served from memory; changes are written through, and `settled` waits for them.
 */
export class D1ClientStore implements ClientStore {
  private clients = new Map<string, StoredClient>();
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: D1Database,
    private readonly onError: (err: unknown) => void,
  ) {}

  async load(): Promise<void> {
    const { results } = await this.db.prepare('SELECT * FROM clients ORDER BY name').all<Row>();
    this.clients = new Map(results.map((row) => [row.name, fromRow(row)]));
  }

  list(): StoredClient[] {
    return [...this.clients.values()];
  }

  insert(client: StoredClient): boolean {
    if (this.clients.has(client.name)) return false;
    for (const other of this.clients.values()) if (other.digest.equals(client.digest)) return false;
    this.clients.set(client.name, client);
    this.write(
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

  update(name: string, settings: ClientSettings, updatedAt: number): boolean {
    const found = this.clients.get(name);
    if (!found) return false;
    this.clients.set(name, { ...found, settings, updatedAt });
    this.write(
      'UPDATE clients SET settings = ?, updated_at = ? WHERE name = ?',
      JSON.stringify(settings),
      updatedAt,
      name,
    );
    return true;
  }

  replaceKey(name: string, digest: Buffer, maskedKey: string, updatedAt: number): boolean {
    const found = this.clients.get(name);
    if (!found) return false;
    this.clients.set(name, { ...found, digest, maskedKey, updatedAt });
    this.write(
      'UPDATE clients SET token_digest = ?, token_masked = ?, updated_at = ? WHERE name = ?',
      new Uint8Array(digest),
      maskedKey,
      updatedAt,
      name,
    );
    return true;
  }

  delete(name: string): boolean {
    if (!this.clients.delete(name)) return false;
    this.write('DELETE FROM clients WHERE name = ?', name);
    return true;
  }

  /** Resolves once every change made so far reached D1. */
  settled(): Promise<void> {
    return this.pending.then(() => {});
  }

  private write(sql: string, ...values: unknown[]): void {
    const run = this.db
      .prepare(sql)
      .bind(...values)
      .run()
      .catch((err: unknown) => this.onError(err));
    this.pending = Promise.all([this.pending, run]);
  }
}

function fromRow(row: Row): StoredClient {
  const digest = row.token_digest;
  return {
    name: row.name,
    digest: Array.isArray(digest) ? Buffer.from(digest) : Buffer.from(digest as ArrayBuffer),
    maskedKey: row.token_masked,
    settings: clientSettingsSchema.parse(JSON.parse(row.settings)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
