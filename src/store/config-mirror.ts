import { fingerprint } from '../observe/mask';
import type { StoredKey, StoredRoute, StoredSetting, StoredUpstream } from './types';

/**
 * The admin-made configuration held in memory: the local view every ConfigRepository driver
 * reads from. Keys are held in the clear here (they are used to call upstreams anyway).
 */
export class ConfigMirror {
  private readonly upstreamMap = new Map<string, StoredUpstream>();
  private readonly secretSets = new Map<string, Set<string>>();
  private readonly routeMap = new Map<string, StoredRoute>();
  private readonly settingMap = new Map<string, StoredSetting>();

  upstreams(): StoredUpstream[] {
    return [...this.upstreamMap.values()];
  }

  upstream(name: string): StoredUpstream | undefined {
    return this.upstreamMap.get(name);
  }

  routes(): StoredRoute[] {
    return [...this.routeMap.values()].sort((a, b) => a.position - b.position);
  }

  route(name: string): StoredRoute | undefined {
    return this.routeMap.get(name);
  }

  settings(): StoredSetting[] {
    return [...this.settingMap.values()];
  }

  setting(name: string): StoredSetting | undefined {
    return this.settingMap.get(name);
  }

  newKeys(name: string, secrets: readonly string[]): { fresh: string[]; duplicates: number } {
    const known = this.secretSets.get(name) ?? new Set<string>();
    const seen = new Set<string>();
    const fresh: string[] = [];
    for (const secret of secrets) {
      if (known.has(secret) || seen.has(secret)) continue;
      seen.add(secret);
      fresh.push(secret);
    }
    return { fresh, duplicates: secrets.length - fresh.length };
  }

  putUpstream(upstream: StoredUpstream): void {
    const existing = this.upstreamMap.get(upstream.name);
    if (existing) {
      existing.definition = upstream.definition;
      existing.updatedAt = upstream.updatedAt;
      return;
    }
    this.upstreamMap.set(upstream.name, upstream);
    this.secretSets.set(upstream.name, new Set(upstream.keys.map((k) => k.secret)));
  }

  deleteUpstream(name: string): boolean {
    this.secretSets.delete(name);
    return this.upstreamMap.delete(name);
  }

  /** New keys for `secrets` (fresh ones, see newKeys), not yet added. */
  keysFor(secrets: readonly string[], now: number): StoredKey[] {
    return secrets.map((secret) => ({ id: fingerprint(secret), secret, enabled: true, addedAt: now }));
  }

  addKeys(name: string, keys: readonly StoredKey[]): void {
    const upstream = this.mustGet(name);
    const known = this.secretSets.get(name)!;
    for (const key of keys) {
      upstream.keys.push(key);
      known.add(key.secret);
    }
  }

  setKeyEnabled(name: string, id: string, enabled: boolean): number {
    let changed = 0;
    for (const key of this.mustGet(name).keys) {
      if (key.id === id && key.enabled !== enabled) {
        key.enabled = enabled;
        changed++;
      }
    }
    return changed;
  }

  deleteKey(name: string, id: string): number {
    const upstream = this.mustGet(name);
    const known = this.secretSets.get(name)!;
    let removed = 0;
    for (let i = upstream.keys.length - 1; i >= 0; i--) {
      const key = upstream.keys[i]!;
      if (key.id !== id) continue;
      known.delete(key.secret);
      upstream.keys.splice(i, 1);
      removed++;
    }
    return removed;
  }

  /** The route as it will be stored: a new one goes after every other. */
  nextRoute(name: string, definition: Record<string, unknown>, now: number): StoredRoute {
    const existing = this.routeMap.get(name);
    if (existing) return { ...existing, definition, updatedAt: now };
    let max = 0;
    for (const route of this.routeMap.values()) max = Math.max(max, route.position);
    return { name, definition, position: max + 1, createdAt: now, updatedAt: now };
  }

  putRoute(route: StoredRoute): void {
    const existing = this.routeMap.get(route.name);
    if (!existing) {
      this.routeMap.set(route.name, route);
      return;
    }
    existing.definition = route.definition;
    existing.updatedAt = route.updatedAt;
  }

  deleteRoute(name: string): boolean {
    return this.routeMap.delete(name);
  }

  putSetting(setting: StoredSetting): void {
    this.settingMap.set(setting.name, setting);
  }

  deleteSetting(name: string): boolean {
    return this.settingMap.delete(name);
  }

  /** Takes every object of `other` in place of its own (a driver reloaded from its database). */
  replaceWith(other: ConfigMirror): void {
    for (const [mine, theirs] of [
      [this.upstreamMap, other.upstreamMap],
      [this.secretSets, other.secretSets],
      [this.routeMap, other.routeMap],
      [this.settingMap, other.settingMap],
    ] as const) {
      mine.clear();
      for (const [name, value] of theirs as Map<string, never>) (mine as Map<string, never>).set(name, value);
    }
  }

  mustGet(name: string): StoredUpstream {
    const upstream = this.upstreamMap.get(name);
    if (!upstream) throw new Error(`no stored upstream "${name}"`);
    return upstream;
  }
}
