import type { PgMigration } from './migrate';

/**
 * The PostgreSQL store's schema, versioned: the admin-made configuration (sealed secrets as
 * BYTEA), API-made clients, the request log with its hourly rollups, and quota counters. Times
 * are milliseconds since the epoch (BIGINT), as in SQLite.
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'config',
    up: `
      CREATE TABLE admin_upstreams (
        name TEXT PRIMARY KEY,
        definition JSON NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE admin_upstream_keys (
        seq BIGSERIAL PRIMARY KEY,
        upstream TEXT NOT NULL REFERENCES admin_upstreams(name) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        secret BYTEA NOT NULL,
        enabled BOOLEAN NOT NULL DEFAULT TRUE,
        added_at BIGINT NOT NULL
      );
      CREATE INDEX admin_upstream_keys_upstream ON admin_upstream_keys (upstream);
      CREATE TABLE admin_routes (
        name TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        definition JSON NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE admin_settings (
        name TEXT PRIMARY KEY,
        value JSON NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE store_meta (name TEXT PRIMARY KEY, value BYTEA NOT NULL);`,
  },
  {
    version: 2,
    name: 'clients',
    up: `
      CREATE TABLE clients (
        name TEXT PRIMARY KEY,
        token_digest BYTEA NOT NULL UNIQUE,
        token_masked TEXT NOT NULL,
        settings JSON NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );`,
  },
  {
    version: 3,
    name: 'request-log',
    up: `
      CREATE TABLE request_log (
        id BIGSERIAL PRIMARY KEY,
        ts BIGINT NOT NULL,
        request_id TEXT NOT NULL,
        client TEXT,
        route TEXT,
        upstream TEXT,
        key_fp TEXT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        model TEXT,
        sent_model TEXT,
        status INTEGER NOT NULL,
        verdict TEXT,
        duration_ms DOUBLE PRECISION NOT NULL,
        ttfb_ms DOUBLE PRECISION,
        prompt_tokens BIGINT NOT NULL,
        completion_tokens BIGINT NOT NULL,
        cached_tokens BIGINT NOT NULL,
        total_tokens BIGINT NOT NULL,
        tokens_estimated INTEGER NOT NULL,
        cost DOUBLE PRECISION,
        stream INTEGER NOT NULL,
        client_ip TEXT,
        user_agent TEXT,
        error TEXT,
        attempts TEXT NOT NULL,
        cache TEXT,
        saved_tokens BIGINT NOT NULL DEFAULT 0,
        saved_cost DOUBLE PRECISION
      );
      CREATE INDEX request_log_ts ON request_log (ts, id);
      CREATE INDEX request_log_client_ts ON request_log (client, ts, id);
      CREATE INDEX request_log_upstream_ts ON request_log (upstream, ts, id);
      CREATE INDEX request_log_model_ts ON request_log (model, ts, id);
      CREATE INDEX request_log_status_ts ON request_log (status, ts, id);
      CREATE INDEX request_log_route_ts ON request_log (route, ts, id);
      CREATE INDEX request_log_verdict_ts ON request_log (verdict, ts, id);
      CREATE INDEX request_log_request_id ON request_log (request_id);
      CREATE TABLE usage_hourly (
        hour BIGINT NOT NULL,
        client TEXT NOT NULL,
        upstream TEXT NOT NULL,
        key_fp TEXT NOT NULL,
        model TEXT NOT NULL,
        requests BIGINT NOT NULL,
        errors BIGINT NOT NULL,
        prompt_tokens BIGINT NOT NULL,
        completion_tokens BIGINT NOT NULL,
        cached_tokens BIGINT NOT NULL,
        total_tokens BIGINT NOT NULL,
        estimated_requests BIGINT NOT NULL,
        cost DOUBLE PRECISION NOT NULL,
        duration_ms DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (hour, client, upstream, key_fp, model)
      );
      CREATE INDEX usage_hourly_client_hour ON usage_hourly (client, hour);`,
  },
  {
    version: 4,
    name: 'quota-counters',
    up: `
      CREATE TABLE quota_counters (
        name BYTEA PRIMARY KEY,
        start BIGINT NOT NULL,
        used DOUBLE PRECISION NOT NULL,
        reserved DOUBLE PRECISION NOT NULL,
        holds INTEGER NOT NULL
      );`,
  },
];
