import { fingerprint } from '../observe/mask';
import { sealHeaderValues, unsealHeaderValues } from './sealed-headers';
import type { SecretBox } from './secret-box';
import { type Migration, migrate, type SqliteDatabase } from './sqlite';

const MIGRATIONS: readonly Migration[] = [
  {
    name: 'admin-001-config',
    up: `
      CREATE TABLE admin_upstreams (
        name TEXT PRIMARY KEY,
        definition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE admin_upstream_keys (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        upstream TEXT NOT NULL REFERENCES admin_upstreams(name) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        secret BLOB NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        added_at INTEGER NOT NULL
      );
      CREATE INDEX admin_upstream_keys_upstream ON admin_upstream_keys (upstream);
      CREATE TABLE admin_routes (
        name TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        definition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE admin_settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE admin_meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
    `,
  },
];

/** The sentinel that tells, at open, whether the master key is the one the keys were sealed with. */
const KEY_CHECK = 'switchyard key check';

export interface StoredKey {
  readonly id: string;
  readonly secret: string;
  enabled: boolean;
  readonly addedAt: number;
}

export interface StoredUpstream {
  readonly name: string;
  definition: Record<string, unknown>;
  readonly keys: StoredKey[];
  readonly createdAt: number;
  updatedAt: number;
}

export interface StoredRoute {
  readonly name: string;
  definition: Record<string, unknown>;
  readonly position: number;
  readonly createdAt: number;
  updatedAt: number;
}

export interface StoredSetting {
  readonly name: string;
  readonly value: unknown;
  readonly updatedAt: number;
}

export interface KeyImport {
  readonly added: number;
  readonly duplicates: number;
}

/**
 * The configuration made through the admin API: upstreams, their keys, routes and settings, in
 * SQLite, mirrored in memory (the data plane never reads the store). Keys and credential header
 * values (`authorization`, `x-api-key`… in upstream, health check, keep-alive and route headers)
 * are sealed with the SecretBox; the in-memory mirror holds them in the clear. Writers validate
 * before they call in here; every write is one transaction.
 */
export class ConfigStore {
  private readonly upstreamMap = new Map<string, StoredUpstream>();
  private readonly secretSets = new Map<string, Set<string>>();
  private readonly routeMap = new Map<string, StoredRoute>();
  private readonly settingMap = new Map<string, StoredSetting>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly box: SecretBox,
    private readonly now: () => number = Date.now,
  ) {
    migrate(db, MIGRATIONS);
    this.checkMasterKey();
    this.load();
  }

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

  /**
   * Runs several writes as one transaction: all of them reach the file or none does. When `writes`
   * throws, the transaction is rolled back and the in-memory mirror is read again from the file.
   */
  transaction(writes: () => void): void {
    try {
      this.db.transaction(writes)();
    } catch (err) {
      this.reload();
      throw err;
    }
  }

  putUpstream(name: string, definition: Record<string, unknown>): void {
    const now = this.now();
    const existing = this.upstreamMap.get(name);
    this.db
      .prepare(
        `INSERT INTO admin_upstreams (name, definition, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
      )
      .run(name, JSON.stringify(sealHeaderValues(this.box, 'upstream', definition)), now, now);
    if (existing) {
      existing.definition = definition;
      existing.updatedAt = now;
    } else {
      this.upstreamMap.set(name, { name, definition, keys: [], createdAt: now, updatedAt: now });
      this.secretSets.set(name, new Set());
    }
  }

  deleteUpstream(name: string): boolean {
    const result = this.db.prepare('DELETE FROM admin_upstreams WHERE name = ?').run(name);
    this.upstreamMap.delete(name);
    this.secretSets.delete(name);
    return result.changes > 0;
  }

  /**
   * Which of `secrets` are new to the upstream, in order and without repeats; repeats inside
   * `secrets` and keys the upstream already has count as duplicates (compared in memory, where
   * the decrypted keys are held anyway).
   */
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

  /** Adds keys to an upstream, skipping any it already has; one transaction. */
  addKeys(name: string, secrets: readonly string[]): KeyImport {
    const upstream = this.mustGet(name);
    const { fresh, duplicates } = this.newKeys(name, secrets);
    const known = this.secretSets.get(name)!;
    const insert = this.db.prepare(
      `INSERT INTO admin_upstream_keys (upstream, fingerprint, secret, enabled, added_at) VALUES (?, ?, ?, 1, ?)`,
    );
    const now = this.now();
    const sealed = this.box.encryptMany(fresh);
    const added: StoredKey[] = fresh.map((secret) => ({
      id: fingerprint(secret),
      secret,
      enabled: true,
      addedAt: now,
    }));
    this.db.transaction(() => {
      added.forEach((key, i) => {
        insert.run(name, key.id, sealed[i], now);
      });
    })();
    for (const key of added) {
      upstream.keys.push(key);
      known.add(key.secret);
    }
    return { added: added.length, duplicates };
  }

  /** Enables or disables the upstream's keys with this id; how many changed. */
  setKeyEnabled(name: string, id: string, enabled: boolean): number {
    const upstream = this.mustGet(name);
    this.db
      .prepare('UPDATE admin_upstream_keys SET enabled = ? WHERE upstream = ? AND fingerprint = ?')
      .run(enabled ? 1 : 0, name, id);
    let changed = 0;
    for (const key of upstream.keys) {
      if (key.id === id && key.enabled !== enabled) {
        key.enabled = enabled;
        changed++;
      }
    }
    return changed;
  }

  deleteKey(name: string, id: string): number {
    const upstream = this.mustGet(name);
    const result = this.db
      .prepare('DELETE FROM admin_upstream_keys WHERE upstream = ? AND fingerprint = ?')
      .run(name, id);
    const known = this.secretSets.get(name)!;
    for (let i = upstream.keys.length - 1; i >= 0; i--) {
      const key = upstream.keys[i]!;
      if (key.id !== id) continue;
      known.delete(key.secret);
      upstream.keys.splice(i, 1);
    }
    return result.changes;
  }

  putRoute(name: string, definition: Record<string, unknown>): void {
    const now = this.now();
    const existing = this.routeMap.get(name);
    const position = existing?.position ?? this.nextRoutePosition();
    this.db
      .prepare(
        `INSERT INTO admin_routes (name, position, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
      )
      .run(name, position, JSON.stringify(sealHeaderValues(this.box, 'route', definition)), now, now);
    if (existing) {
      existing.definition = definition;
      existing.updatedAt = now;
    } else {
      this.routeMap.set(name, { name, definition, position, createdAt: now, updatedAt: now });
    }
  }

  deleteRoute(name: string): boolean {
    this.routeMap.delete(name);
    return this.db.prepare('DELETE FROM admin_routes WHERE name = ?').run(name).changes > 0;
  }

  putSetting(name: string, value: unknown): void {
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO admin_settings (name, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(name, JSON.stringify(value), now);
    this.settingMap.set(name, { name, value, updatedAt: now });
  }

  deleteSetting(name: string): boolean {
    this.settingMap.delete(name);
    return this.db.prepare('DELETE FROM admin_settings WHERE name = ?').run(name).changes > 0;
  }

  private mustGet(name: string): StoredUpstream {
    const upstream = this.upstreamMap.get(name);
    if (!upstream) throw new Error(`no stored upstream "${name}"`);
    return upstream;
  }

  private nextRoutePosition(): number {
    let max = 0;
    for (const route of this.routeMap.values()) max = Math.max(max, route.position);
    return max + 1;
  }

  private checkMasterKey(): void {
    const row = this.db.prepare("SELECT value FROM admin_meta WHERE name = 'key_check'").get() as
      | { value: Buffer }
      | undefined;
    if (!row) {
      this.db
        .prepare("INSERT INTO admin_meta (name, value) VALUES ('key_check', ?)")
        .run(this.box.encrypt(KEY_CHECK));
      return;
    }
    let plain: string | undefined;
    try {
      plain = this.box.decrypt(row.value);
    } catch {
      plain = undefined;
    }
    if (plain !== KEY_CHECK) {
      throw new Error(
        'the store was encrypted with a different secret key: set SWITCHYARD_SECRET (or restore secret.key beside the store) to the secret it was created with',
      );
    }
  }

  private reload(): void {
    this.upstreamMap.clear();
    this.secretSets.clear();
    this.routeMap.clear();
    this.settingMap.clear();
    this.load();
  }

  private load(): void {
    type UpstreamRow = { name: string; definition: string; created_at: number; updated_at: number };
    for (const row of this.db.prepare('SELECT * FROM admin_upstreams').all() as UpstreamRow[]) {
      const upstream: StoredUpstream = {
        name: row.name,
        definition: this.readDefinition('admin_upstreams', 'upstream', row),
        keys: [],
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      };
      this.upstreamMap.set(row.name, upstream);
      this.secretSets.set(row.name, new Set());
    }
    this.loadKeys();
    type RouteRow = UpstreamRow & { position: number };
    for (const row of this.db.prepare('SELECT * FROM admin_routes').all() as RouteRow[]) {
      this.routeMap.set(row.name, {
        name: row.name,
        definition: this.readDefinition('admin_routes', 'route', row),
        position: row.position,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      });
    }
    type SettingRow = { name: string; value: string; updated_at: number };
    for (const row of this.db.prepare('SELECT * FROM admin_settings').all() as SettingRow[]) {
      this.settingMap.set(row.name, {
        name: row.name,
        value: JSON.parse(row.value) as unknown,
        updatedAt: row.updated_at,
      });
    }
  }

  /**
   * A stored definition with its header values unsealed. A row an earlier version wrote with
   * credential header values in the clear is written again, sealed, with `secure_delete` on so
   * the old bytes are overwritten in the file rather than left in a free page.
   */
  private readDefinition(
    table: 'admin_upstreams' | 'admin_routes',
    kind: 'upstream' | 'route',
    row: { name: string; definition: string },
  ): Record<string, unknown> {
    const stored = JSON.parse(row.definition) as Record<string, unknown>;
    const { definition, hadPlainCredentials } = unsealHeaderValues(this.box, kind, stored);
    if (hadPlainCredentials) {
      const sealed = JSON.stringify(sealHeaderValues(this.box, kind, definition));
      const secureDelete = this.db.pragma('secure_delete', { simple: true }) as number;
      this.db.pragma('secure_delete = ON');
      try {
        this.db.prepare(`UPDATE ${table} SET definition = ? WHERE name = ?`).run(sealed, row.name);
      } finally {
        this.db.pragma(`secure_delete = ${secureDelete}`);
      }
    }
    return definition;
  }

  private loadKeys(): void {
    type KeyRow = {
      upstream: string;
      fingerprint: string;
      secret: Buffer;
      enabled: number;
      added_at: number;
    };
    const rows = this.db
      .prepare(
        'SELECT upstream, fingerprint, secret, enabled, added_at FROM admin_upstream_keys ORDER BY seq',
      )
      .iterate() as IterableIterator<KeyRow>;
    for (const row of rows) {
      const upstream = this.upstreamMap.get(row.upstream);
      if (!upstream) continue;
      const secret = this.box.decrypt(row.secret);
      upstream.keys.push({ id: row.fingerprint, secret, enabled: row.enabled === 1, addedAt: row.added_at });
      this.secretSets.get(row.upstream)!.add(secret);
    }
  }
}
