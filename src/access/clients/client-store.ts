import type { ClientSettings } from '../../config/schema/access';

/** A client made with the admin API, as stored: the token only as its keyed digest. */
export interface StoredClient {
  readonly name: string;
  /** HMAC-SHA256 of the token under the gateway secret (32 bytes). */
  readonly digest: Uint8Array;
  readonly maskedKey: string;
  readonly settings: ClientSettings;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * Where API-made clients live: SQLite by default (src/store/client-store-sqlite.ts), in memory
 * for gateways without a store. Every call may be remote. The data plane never reads it: the
 * credential index is rebuilt from `list` after each write (GatewayAccess.reloadClients).
 */
export interface ClientStore {
  /** Every stored client, by name. */
  list(): Promise<StoredClient[]>;
  /** False when the name or the digest is taken. */
  insert(client: StoredClient): Promise<boolean>;
  /** False when there is no client of that name. */
  update(name: string, settings: ClientSettings, updatedAt: number): Promise<boolean>;
  /** False when there is no client of that name. */
  replaceKey(name: string, digest: Uint8Array, maskedKey: string, updatedAt: number): Promise<boolean>;
  /** False when there is no client of that name. */
  delete(name: string): Promise<boolean>;
}
