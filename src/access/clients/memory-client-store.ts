import type { ClientSettings } from '../../config/schema/access';
import type { ClientStore, StoredClient } from './client-store';

/** For gateways without a store (tests, embedding): API-made clients last as long as the process. */
export class MemoryClientStore implements ClientStore {
  private readonly clients = new Map<string, StoredClient>();

  list(): Promise<StoredClient[]> {
    const names = [...this.clients.keys()].sort();
    return Promise.resolve(names.map((name) => copy(this.clients.get(name)!)));
  }

  insert(client: StoredClient): Promise<boolean> {
    if (this.clients.has(client.name)) return Promise.resolve(false);
    for (const other of this.clients.values()) {
      if (sameBytes(other.digest, client.digest)) return Promise.resolve(false);
    }
    this.clients.set(client.name, copy(client));
    return Promise.resolve(true);
  }

  update(name: string, settings: ClientSettings, updatedAt: number): Promise<boolean> {
    const found = this.clients.get(name);
    if (found) this.clients.set(name, { ...found, settings, updatedAt });
    return Promise.resolve(found !== undefined);
  }

  replaceKey(name: string, digest: Uint8Array, maskedKey: string, updatedAt: number): Promise<boolean> {
    const found = this.clients.get(name);
    if (found) this.clients.set(name, { ...found, digest: digest.slice(), maskedKey, updatedAt });
    return Promise.resolve(found !== undefined);
  }

  delete(name: string): Promise<boolean> {
    return Promise.resolve(this.clients.delete(name));
  }
}

/** A copy whose digest is a plain Uint8Array, as every driver answers. */
function copy(client: StoredClient): StoredClient {
  return { ...client, digest: new Uint8Array(client.digest) };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
