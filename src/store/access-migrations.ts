import type { Migration } from './migration';

/** Tables of the access area: API-made clients, the request log and its hourly rollups. */
export const ACCESS_MIGRATIONS: readonly Migration[] = [
  {
    name: 'access-001-clients',
    up: `
      CREATE TABLE access_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE clients (
        name TEXT PRIMARY KEY,
        token_digest BLOB NOT NULL UNIQUE,
        token_masked TEXT NOT NULL,
        settings TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );`,
  },
  {
    name: 'access-002-request-log',
    up: `
      CREATE TABLE request_log (
        id INTEGER PRIMARY KEY,
        ts INTEGER NOT NULL,
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
        duration_ms REAL NOT NULL,
        ttfb_ms REAL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        cached_tokens INTEGER NOT NULL,
        total_tokens INTEGER NOT NULL,
        tokens_estimated INTEGER NOT NULL,
        cost REAL,
        stream INTEGER NOT NULL,
        client_ip TEXT,
        user_agent TEXT,
        error TEXT,
        attempts TEXT NOT NULL
      );
      CREATE INDEX request_log_ts ON request_log (ts);
      CREATE INDEX request_log_client_ts ON request_log (client, ts);
      CREATE INDEX request_log_upstream_ts ON request_log (upstream, ts);
      CREATE INDEX request_log_model_ts ON request_log (model, ts);
      CREATE INDEX request_log_status_ts ON request_log (status, ts);
      CREATE INDEX request_log_request_id ON request_log (request_id);
      CREATE TABLE usage_hourly (
        hour INTEGER NOT NULL,
        client TEXT NOT NULL,
        upstream TEXT NOT NULL,
        key_fp TEXT NOT NULL,
        model TEXT NOT NULL,
        requests INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        cached_tokens INTEGER NOT NULL,
        total_tokens INTEGER NOT NULL,
        estimated_requests INTEGER NOT NULL,
        cost REAL NOT NULL,
        duration_ms REAL NOT NULL,
        PRIMARY KEY (hour, client, upstream, key_fp, model)
      ) WITHOUT ROWID;
      CREATE INDEX usage_hourly_client_hour ON usage_hourly (client, hour);`,
  },
  {
    name: 'access-003-request-log-route-verdict',
    up: `
      CREATE INDEX request_log_route_ts ON request_log (route, ts);
      CREATE INDEX request_log_verdict_ts ON request_log (verdict, ts);`,
  },
  {
    name: 'access-004-request-log-cache',
    up: `
      ALTER TABLE request_log ADD COLUMN cache TEXT;
      ALTER TABLE request_log ADD COLUMN saved_tokens INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE request_log ADD COLUMN saved_cost REAL;`,
  },
];
