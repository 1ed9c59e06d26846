import { ConfigMirror } from './config-mirror';
import { MemoryConfigRepository } from './memory-config-repository';
import { sealHeaderValues, unsealHeaderValues } from './sealed-headers';
import type { SecretBox } from './secret-box';
import { type Migration, migrate, type SqliteDatabase, type SqliteStatement } from './sqlite';
import type { ConfigRepository, KeyImport, StoredUpstream } from './types';

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

type Statements = Record<
  | 'putUpstream'
  | 'deleteUpstream'
  | 'insertKey'
  | 'setKeyEnabled'
  | 'deleteKey'
  | 'putRoute'
  | 'deleteRoute'
  | 'putSetting'
  | 'deleteSetting',
  SqliteStatement
>;

/**
 * The admin-made configuration in SQLite, mirrored in memory (the data plane never reads the
 * store). Keys and credential header values (`authorization`, `x-api-key`… in upstream, health
 * check, keep-alive and route headers) are sealed with the SecretBox; the mirror holds them in
 * the clear. Statements are prepared once, when the store opens; every write is one statement
 * or one transaction, and the mirror changes with it.
 */
export class SqliteConfigRepository extends MemoryConfigRepository implements ConfigRepository {
  private readonly sql: Statements;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly box: SecretBox,
    now: () => number = Date.now,
  ) {
    super(now);
    migrate(db, MIGRATIONS);
    this.sql = prepare(db);
    this.checkMasterKey();
    this.load();
  }

  override async putUpstream(name: string, definition: Record<string, unknown>): Promise<void> {
    const now = this.now();
    const sealed = JSON.stringify(sealHeaderValues(this.box, 'upstream', definition));
    this.sql.putUpstream.run(name, sealed, now, now);
    this.mirror.putUpstream({ name, definition, keys: [], createdAt: now, updatedAt: now });
  }

  /** The upstream row and its key rows in one transaction; the mirror changes after it commits. */
  override async createUpstream(
    name: string,
    definition: Record<string, unknown>,
    secrets: readonly string[],
  ): Promise<KeyImport> {
    const now = this.now();
    const unique = [...new Set(secrets)];
    const sealedDefinition = JSON.stringify(sealHeaderValues(this.box, 'upstream', definition));
    const sealed = this.box.encryptMany(unique);
    const added = this.mirror.keysFor(unique, now);
    this.db.transaction(() => {
      this.sql.putUpstream.run(name, sealedDefinition, now, now);
      added.forEach((key, i) => {
        this.sql.insertKey.run(name, key.id, sealed[i], now);
      });
    })();
    this.mirror.putUpstream({ name, definition, keys: [], createdAt: now, updatedAt: now });
    this.mirror.addKeys(name, added);
    return { added: added.length, duplicates: secrets.length - unique.length };
  }

  override async deleteUpstream(name: string): Promise<boolean> {
    const deleted = this.sql.deleteUpstream.run(name).changes > 0;
    this.mirror.deleteUpstream(name);
    return deleted;
  }

  /** Adds keys to an upstream, skipping any it already has; one transaction. */
  override async addKeys(name: string, secrets: readonly string[]): Promise<KeyImport> {
    this.mirror.mustGet(name);
    const { fresh, duplicates } = this.mirror.newKeys(name, secrets);
    const now = this.now();
    const sealed = this.box.encryptMany(fresh);
    const added = this.mirror.keysFor(fresh, now);
    this.db.transaction(() => {
      added.forEach((key, i) => {
        this.sql.insertKey.run(name, key.id, sealed[i], now);
      });
    })();
    this.mirror.addKeys(name, added);
    return { added: added.length, duplicates };
  }

  override async setKeyEnabled(name: string, id: string, enabled: boolean): Promise<number> {
    this.mirror.mustGet(name);
    this.sql.setKeyEnabled.run(enabled ? 1 : 0, name, id);
    return this.mirror.setKeyEnabled(name, id, enabled);
  }

  override async deleteKey(name: string, id: string): Promise<number> {
    this.mirror.mustGet(name);
    const deleted = this.sql.deleteKey.run(name, id).changes;
    this.mirror.deleteKey(name, id);
    return deleted;
  }

  override async putRoute(name: string, definition: Record<string, unknown>): Promise<void> {
    const route = this.mirror.nextRoute(name, definition, this.now());
    const sealed = JSON.stringify(sealHeaderValues(this.box, 'route', definition));
    this.sql.putRoute.run(name, route.position, sealed, route.createdAt, route.updatedAt);
    this.mirror.putRoute(route);
  }

  override async deleteRoute(name: string): Promise<boolean> {
    this.mirror.deleteRoute(name);
    return this.sql.deleteRoute.run(name).changes > 0;
  }

  override async putSetting(name: string, value: unknown): Promise<void> {
    const now = this.now();
    this.sql.putSetting.run(name, JSON.stringify(value), now);
    this.mirror.putSetting({ name, value, updatedAt: now });
  }

  override async deleteSetting(name: string): Promise<boolean> {
    this.mirror.deleteSetting(name);
    return this.sql.deleteSetting.run(name).changes > 0;
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

  /** Reads the file again into the mirror: another process (a cluster worker) changed it. */
  reload(): void {
    const fresh = new ConfigMirror();
    this.load(fresh);
    this.mirror.replaceWith(fresh);
  }

  private load(into: ConfigMirror = this.mirror): void {
    type UpstreamRow = { name: string; definition: string; created_at: number; updated_at: number };
    for (const row of this.db.prepare('SELECT * FROM admin_upstreams').all() as UpstreamRow[]) {
      const upstream: StoredUpstream = {
        name: row.name,
        definition: this.readDefinition('admin_upstreams', 'upstream', row),
        keys: [],
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      };
      into.putUpstream(upstream);
    }
    this.loadKeys(into);
    type RouteRow = UpstreamRow & { position: number };
    for (const row of this.db.prepare('SELECT * FROM admin_routes').all() as RouteRow[]) {
      into.putRoute({
        name: row.name,
        definition: this.readDefinition('admin_routes', 'route', row),
        position: row.position,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      });
    }
    type SettingRow = { name: string; value: string; updated_at: number };
    for (const row of this.db.prepare('SELECT * FROM admin_settings').all() as SettingRow[]) {
      into.putSetting({
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

  private loadKeys(into: ConfigMirror): void {
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
      if (!into.upstream(row.upstream)) continue;
      const secret = this.box.decrypt(row.secret);
      into.addKeys(row.upstream, [
        { id: row.fingerprint, secret, enabled: row.enabled === 1, addedAt: row.added_at },
      ]);
    }
  }
}

function prepare(db: SqliteDatabase): Statements {
  return {
    putUpstream: db.prepare(
      `INSERT INTO admin_upstreams (name, definition, created_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
    ),
    deleteUpstream: db.prepare('DELETE FROM admin_upstreams WHERE name = ?'),
    insertKey: db.prepare(
      'INSERT INTO admin_upstream_keys (upstream, fingerprint, secret, enabled, added_at) VALUES (?, ?, ?, 1, ?)',
    ),
    setKeyEnabled: db.prepare(
      'UPDATE admin_upstream_keys SET enabled = ? WHERE upstream = ? AND fingerprint = ?',
    ),
    deleteKey: db.prepare('DELETE FROM admin_upstream_keys WHERE upstream = ? AND fingerprint = ?'),
    putRoute: db.prepare(
      `INSERT INTO admin_routes (name, position, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
    ),
    deleteRoute: db.prepare('DELETE FROM admin_routes WHERE name = ?'),
    putSetting: db.prepare(
      `INSERT INTO admin_settings (name, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
    deleteSetting: db.prepare('DELETE FROM admin_settings WHERE name = ?'),
  };
}
