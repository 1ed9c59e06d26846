import { ConfigMirror } from '../../../store/config-mirror';
import { MemoryConfigRepository } from '../../../store/memory-config-repository';
import { sealHeaderValues, unsealHeaderValues } from '../../../store/sealed-headers';
import type { SecretBox } from '../../../store/secret-box';
import type { ConfigRepository, KeyImport } from '../../../store/types';
import type { PgChanges } from './changes';
import type { PgConnection, Queryable } from './connection';
import { storeUnavailable } from './errors';

/** The sentinel that tells, at open, whether the master key is the one the keys were sealed with. */
const KEY_CHECK = 'switchyard key check';

type Definition = Record<string, unknown>;

/**
 * The admin-made configuration in PostgreSQL, mirrored in memory (the data plane never reads the
 * store). Keys and credential header values are sealed with the SecretBox, as in SQLite. A write
 * changes the mirror at once, then commits one transaction that also notifies the other
 * instances; they reload their mirror (`reload`) and tell `onChange`. While the store is down,
 * writes are refused before they touch the mirror; after a reconnection the mirror is read again.
 */
export class PgConfigRepository extends MemoryConfigRepository implements ConfigRepository {
  /** Called after the mirror was reloaded because another instance (or a reconnection) changed it. */
  readonly onChange: (() => void)[] = [];
  private writes = 0;
  private generation = 0;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: PgConnection,
    private readonly box: SecretBox,
    private readonly changes: PgChanges | undefined,
    now: () => number = Date.now,
  ) {
    super(now);
  }

  /** Checks the master key and loads the mirror; call once the connection is up. */
  async open(): Promise<void> {
    await this.checkMasterKey();
    await this.reload();
  }

  override async putUpstream(name: string, definition: Definition): Promise<void> {
    this.writable();
    const now = this.now();
    this.mirror.putUpstream({ name, definition, keys: [], createdAt: now, updatedAt: now });
    const sealed = sealHeaderValues(this.box, 'upstream', definition);
    await this.write((tx) => upsertUpstream(tx, name, sealed, now));
  }

  /** The upstream row and its key rows in one transaction. */
  override async createUpstream(
    name: string,
    definition: Definition,
    secrets: readonly string[],
  ): Promise<KeyImport> {
    this.writable();
    const now = this.now();
    const unique = [...new Set(secrets)];
    const added = this.mirror.keysFor(unique, now);
    const sealedDefinition = sealHeaderValues(this.box, 'upstream', definition);
    const sealed = this.box.encryptMany(unique);
    this.mirror.putUpstream({ name, definition, keys: [], createdAt: now, updatedAt: now });
    this.mirror.addKeys(name, added);
    await this.write(async (tx) => {
      await upsertUpstream(tx, name, sealedDefinition, now);
      await insertKeys(
        tx,
        name,
        added.map((key, i) => [key.id, sealed[i]!]),
        now,
      );
    });
    return { added: added.length, duplicates: secrets.length - unique.length };
  }

  override async deleteUpstream(name: string): Promise<boolean> {
    this.writable();
    this.mirror.deleteUpstream(name);
    return this.write(
      async (tx) =>
        ((await tx.query('DELETE FROM admin_upstreams WHERE name = $1', [name])).rowCount ?? 0) > 0,
    );
  }

  override async addKeys(name: string, secrets: readonly string[]): Promise<KeyImport> {
    this.mirror.mustGet(name);
    this.writable();
    const { fresh, duplicates } = this.mirror.newKeys(name, secrets);
    const now = this.now();
    const added = this.mirror.keysFor(fresh, now);
    const sealed = this.box.encryptMany(fresh);
    this.mirror.addKeys(name, added);
    await this.write((tx) =>
      insertKeys(
        tx,
        name,
        added.map((key, i) => [key.id, sealed[i]!]),
        now,
      ),
    );
    return { added: added.length, duplicates };
  }

  override async setKeyEnabled(name: string, id: string, enabled: boolean): Promise<number> {
    this.mirror.mustGet(name);
    this.writable();
    const changed = this.mirror.setKeyEnabled(name, id, enabled);
    await this.write((tx) =>
      tx.query('UPDATE admin_upstream_keys SET enabled = $1 WHERE upstream = $2 AND fingerprint = $3', [
        enabled,
        name,
        id,
      ]),
    );
    return changed;
  }

  override async deleteKey(name: string, id: string): Promise<number> {
    this.mirror.mustGet(name);
    this.writable();
    this.mirror.deleteKey(name, id);
    return this.write(
      async (tx) =>
        (
          await tx.query('DELETE FROM admin_upstream_keys WHERE upstream = $1 AND fingerprint = $2', [
            name,
            id,
          ])
        ).rowCount ?? 0,
    );
  }

  override async putRoute(name: string, definition: Definition): Promise<void> {
    this.writable();
    const route = this.mirror.nextRoute(name, definition, this.now());
    this.mirror.putRoute(route);
    const sealed = sealHeaderValues(this.box, 'route', definition);
    await this.write((tx) =>
      tx.query(
        `INSERT INTO admin_routes (name, position, definition, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
        [name, route.position, JSON.stringify(sealed), route.createdAt, route.updatedAt],
      ),
    );
  }

  override async deleteRoute(name: string): Promise<boolean> {
    this.writable();
    this.mirror.deleteRoute(name);
    return this.write(
      async (tx) => ((await tx.query('DELETE FROM admin_routes WHERE name = $1', [name])).rowCount ?? 0) > 0,
    );
  }

  override async putSetting(name: string, value: unknown): Promise<void> {
    this.writable();
    const now = this.now();
    this.mirror.putSetting({ name, value, updatedAt: now });
    await this.write((tx) =>
      tx.query(
        `INSERT INTO admin_settings (name, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [name, JSON.stringify(value), now],
      ),
    );
  }

  override async deleteSetting(name: string): Promise<boolean> {
    this.writable();
    this.mirror.deleteSetting(name);
    return this.write(
      async (tx) =>
        ((await tx.query('DELETE FROM admin_settings WHERE name = $1', [name])).rowCount ?? 0) > 0,
    );
  }

  /**
   * Reads every object again into a fresh mirror and swaps it in. Local writes still in flight
   * changed the old mirror already: the read waits for them and is repeated if one started
   * meanwhile, so the swapped-in mirror has them.
   */
  async reload(): Promise<void> {
    let fresh: ConfigMirror;
    let seen: number;
    do {
      await this.idle;
      seen = this.generation;
      fresh = await this.read();
    } while (seen !== this.generation || this.writes > 0);
    this.mirror.replaceWith(fresh);
  }

  /** Reloads, then tells the listeners (another instance changed the configuration). */
  async refresh(): Promise<void> {
    await this.reload();
    for (const listener of this.onChange) listener();
  }

  private writable(): void {
    if (!this.db.up) throw storeUnavailable(this.db.lastError);
  }

  /** One transaction with the change notification; the mirror is read again if it fails. */
  private async write<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.writes++;
    this.generation++;
    const done = this.db.transaction(async (tx) => {
      const result = await fn(tx);
      await this.changes?.notify(tx, 'config');
      return result;
    });
    const settled = done.then(
      () => {},
      () => {},
    );
    this.idle = this.idle.then(() => settled);
    try {
      return await done;
    } catch (err) {
      // The mirror already shows the change: read back what the database has.
      if (this.db.up) void this.reload().catch(() => {});
      throw err;
    } finally {
      this.writes--;
    }
  }

  private async checkMasterKey(): Promise<void> {
    const existing = await this.db.query<{ value: Buffer }>(
      "SELECT value FROM store_meta WHERE name = 'key_check'",
    );
    const row = existing.rows[0];
    if (!row) {
      await this.db.query(
        "INSERT INTO store_meta (name, value) VALUES ('key_check', $1) ON CONFLICT (name) DO NOTHING",
        [this.box.encrypt(KEY_CHECK)],
      );
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
        'the store was encrypted with a different secret key: set SWITCHYARD_SECRET to the secret it was created with',
      );
    }
  }

  private async read(): Promise<ConfigMirror> {
    const mirror = new ConfigMirror();
    const [upstreams, keys, routes, settings] = await Promise.all([
      this.db.query<Row>('SELECT * FROM admin_upstreams'),
      this.db.query<KeyRow>(
        'SELECT upstream, fingerprint, secret, enabled, added_at FROM admin_upstream_keys ORDER BY seq',
      ),
      this.db.query<Row & { position: number }>('SELECT * FROM admin_routes'),
      this.db.query<{ name: string; value: unknown; updated_at: number }>('SELECT * FROM admin_settings'),
    ]);
    for (const row of upstreams.rows) {
      const { definition } = unsealHeaderValues(this.box, 'upstream', row.definition);
      mirror.putUpstream({
        name: row.name,
        definition,
        keys: [],
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      });
    }
    for (const row of keys.rows) {
      if (!mirror.upstream(row.upstream)) continue;
      const secret = this.box.decrypt(row.secret);
      mirror.addKeys(row.upstream, [
        { id: row.fingerprint, secret, enabled: row.enabled, addedAt: row.added_at },
      ]);
    }
    for (const row of routes.rows) {
      const { definition } = unsealHeaderValues(this.box, 'route', row.definition);
      const { name, position, created_at: createdAt, updated_at: updatedAt } = row;
      mirror.putRoute({ name, definition, position, createdAt, updatedAt });
    }
    for (const row of settings.rows)
      mirror.putSetting({ name: row.name, value: row.value, updatedAt: row.updated_at });
    return mirror;
  }
}

interface Row {
  name: string;
  definition: Definition;
  created_at: number;
  updated_at: number;
}

interface KeyRow {
  upstream: string;
  fingerprint: string;
  secret: Buffer;
  enabled: boolean;
  added_at: number;
}

async function upsertUpstream(
  tx: Queryable,
  name: string,
  definition: Definition,
  now: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO admin_upstreams (name, definition, created_at, updated_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
    [name, JSON.stringify(definition), now],
  );
}

/** Inserts the keys (id and sealed secret) in one statement. */
async function insertKeys(
  tx: Queryable,
  name: string,
  keys: readonly [string, Buffer][],
  now: number,
): Promise<void> {
  if (keys.length === 0) return;
  await tx.query(
    `INSERT INTO admin_upstream_keys (upstream, fingerprint, secret, enabled, added_at)
     SELECT $1, k.fingerprint, k.secret, TRUE, $4
       FROM unnest($2::text[], $3::bytea[]) WITH ORDINALITY AS k(fingerprint, secret, n) ORDER BY k.n`,
    [name, keys.map((k) => k[0]), keys.map((k) => k[1]), now],
  );
}
