import type { ClientSettings } from '../../config/schema/access';
import { equalBytes } from '../../core/crypto';

/** A client made with the admin API, as stored: the token only as its keyed digest. */
export interface StoredClient {
  readonly name: string;
  /** HMAC-SHA256 of the token under the gateway secret. */
  readonly digest: Uint8Array;
  readonly maskedKey: string;
  readonly settings: ClientSettings;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Where API-made clients live: SQLite by default (src/store/client-store-sqlite.ts). */
export interface ClientStore {
  list(): StoredClient[];
  /** False when the name or the digest is taken. */
  insert(client: StoredClient): boolean;
  update(name: string, settings: ClientSettings, updatedAt: number): boolean;
  replaceKey(name: string, digest: Uint8Array, maskedKey: string, updatedAt: number): boolean;
  delete(name: string): boolean;
}

/** For gateways without a store (tests, embedding): API-made clients last as long as the process. */
export class MemoryClientStore implements ClientStore {
  private readonly clients = new Map<string, StoredClient>();

  list(): StoredClient[] {
    return [...this.clients.values()];
  }

  insert(client: StoredClient): boolean {
    if (this.clients.has(client.name)) return false;
    for (const other of this.clients.values()) if (equalBytes(other.digest, client.digest)) return false;
    this.clients.set(client.name, client);
    return true;
  }

  update(name: string, settings: ClientSettings, updatedAt: number): boolean {
    const found = this.clients.get(name);
    if (!found) return false;
    this.clients.set(name, { ...found, settings, updatedAt });
    return true;
  }

  replaceKey(name: string, digest: Uint8Array, maskedKey: string, updatedAt: number): boolean {
    const found = this.clients.get(name);
    if (!found) return false;
    this.clients.set(name, { ...found, digest, maskedKey, updatedAt });
    return true;
  }

  delete(name: string): boolean {
    return this.clients.delete(name);
  }
}
