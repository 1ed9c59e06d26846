import type { Config } from '../../config/schema/index';
import { maskSecret } from '../../observe/mask';
import { KeyIndex } from '../key-index';
import { buildClient, type Client, type Principal } from './client';
import type { StoredClient } from './client-store';

/**
 * Every credential the gateway accepts, found by a keyed hash and a constant-time compare
 * (KeyIndex): `server.auth_keys`, clients from the file (hashed when loaded) and clients made
 * with the admin API (stored hashed, under the same persistent secret).
 */
export class ClientDirectory {
  private index: KeyIndex<Principal>;
  private clients = new Map<string, Client>();
  private authKeyCount = 0;
  private complete = true;

  constructor(private readonly hmacKey: Uint8Array) {
    this.index = new KeyIndex(hmacKey);
  }

  /**
   * Rebuilds from the configuration and the stored clients; file clients shadow stored ones.
   * `complete` false: the stored clients could not be read, so the gateway is not open.
   */
  rebuild(config: Config, stored: readonly StoredClient[], complete = true): string[] {
    const index = new KeyIndex<Principal>(this.hmacKey);
    const clients = new Map<string, Client>();
    for (const key of config.server.auth_keys) index.set(key, { kind: 'auth-key', name: maskSecret(key) });
    for (const { key, name, ...settings } of config.clients) {
      const client = buildClient(name, settings, { source: 'file', maskedKey: maskSecret(key) });
      clients.set(name, client);
      index.set(key, client);
    }
    const shadowed: string[] = [];
    for (const record of stored) {
      if (clients.has(record.name)) {
        shadowed.push(record.name);
        continue;
      }
      const client = buildClient(record.name, record.settings, {
        source: 'api',
        maskedKey: record.maskedKey,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
      });
      clients.set(record.name, client);
      index.setDigest(record.digest, client);
    }
    this.index = index;
    this.clients = clients;
    this.authKeyCount = config.server.auth_keys.length;
    this.complete = complete;
    return shadowed;
  }

  /** True when no credential is configured at all (and none may be stored): anyone may call the gateway. */
  get open(): boolean {
    return this.authKeyCount === 0 && this.clients.size === 0 && this.complete;
  }

  get authKeys(): number {
    return this.authKeyCount;
  }

  get size(): number {
    return this.clients.size;
  }

  find(credential: string): Principal | undefined {
    return this.index.get(credential);
  }

  get(name: string): Client | undefined {
    return this.clients.get(name);
  }

  list(): Client[] {
    return [...this.clients.values()];
  }

  digest(token: string): Uint8Array {
    return this.index.digest(token);
  }
}
