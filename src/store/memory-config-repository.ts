import { ConfigMirror } from './config-mirror';
import type { ConfigRepository, KeyImport, StoredRoute, StoredSetting, StoredUpstream } from './types';

/**
 * The admin-made configuration in memory only (tests, embedding, a runtime without a database):
 * it lasts as long as the process.
 */
export class MemoryConfigRepository implements ConfigRepository {
  protected readonly mirror = new ConfigMirror();

  constructor(protected readonly now: () => number = Date.now) {}

  upstreams(): StoredUpstream[] {
    return this.mirror.upstreams();
  }

  upstream(name: string): StoredUpstream | undefined {
    return this.mirror.upstream(name);
  }

  routes(): StoredRoute[] {
    return this.mirror.routes();
  }

  route(name: string): StoredRoute | undefined {
    return this.mirror.route(name);
  }

  settings(): StoredSetting[] {
    return this.mirror.settings();
  }

  setting(name: string): StoredSetting | undefined {
    return this.mirror.setting(name);
  }

  newKeys(name: string, secrets: readonly string[]): { fresh: string[]; duplicates: number } {
    return this.mirror.newKeys(name, secrets);
  }

  async putUpstream(name: string, definition: Record<string, unknown>): Promise<void> {
    const now = this.now();
    this.mirror.putUpstream({ name, definition, keys: [], createdAt: now, updatedAt: now });
  }

  async createUpstream(
    name: string,
    definition: Record<string, unknown>,
    secrets: readonly string[],
  ): Promise<KeyImport> {
    await this.putUpstream(name, definition);
    return this.addKeys(name, secrets);
  }

  async deleteUpstream(name: string): Promise<boolean> {
    return this.mirror.deleteUpstream(name);
  }

  async addKeys(name: string, secrets: readonly string[]): Promise<KeyImport> {
    this.mirror.mustGet(name);
    const { fresh, duplicates } = this.mirror.newKeys(name, secrets);
    this.mirror.addKeys(name, this.mirror.keysFor(fresh, this.now()));
    return { added: fresh.length, duplicates };
  }

  async setKeyEnabled(name: string, id: string, enabled: boolean): Promise<number> {
    return this.mirror.setKeyEnabled(name, id, enabled);
  }

  async deleteKey(name: string, id: string): Promise<number> {
    return this.mirror.deleteKey(name, id);
  }

  async putRoute(name: string, definition: Record<string, unknown>): Promise<void> {
    this.mirror.putRoute(this.mirror.nextRoute(name, definition, this.now()));
  }

  async deleteRoute(name: string): Promise<boolean> {
    return this.mirror.deleteRoute(name);
  }

  async putSetting(name: string, value: unknown): Promise<void> {
    this.mirror.putSetting({ name, value, updatedAt: this.now() });
  }

  async deleteSetting(name: string): Promise<boolean> {
    return this.mirror.deleteSetting(name);
  }
}
