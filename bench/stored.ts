/**
 * A store with a long history, for "nothing slows with what is stored": 10 million request-log
 * rows over the last 29 days (inside the default 30-day retention, so startup deletes none) and
 * their hourly rollups, written in one `INSERT … SELECT` over a recursive CTE with the indexes
 * built afterwards (minutes, not hours).
 */
import { ACCESS_MIGRATIONS } from '../src/store/access-migrations';
import { migrate, openSqlite } from '../src/store/sqlite';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export function seedStore(path: string, rows = 10_000_000): { rows: number; seconds: number } {
  const started = performance.now();
  const db = openSqlite(path);
  migrate(db, ACCESS_MIGRATIONS);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  const indexes = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'request_log' AND sql IS NOT NULL",
    )
    .all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  const start = Date.now() - 29 * DAY_MS;
  const step = (29 * DAY_MS) / rows;
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
     INSERT INTO request_log (ts, request_id, client, route, upstream, key_fp, method, path, model,
       sent_model, status, verdict, duration_ms, ttfb_ms, prompt_tokens, completion_tokens,
       cached_tokens, total_tokens, tokens_estimated, cost, stream, client_ip, user_agent, error,
       attempts, cache, saved_tokens, saved_cost)
     SELECT CAST(? + i * ? AS INTEGER), printf('seed-%010d', i), 'client-' || (i % 50),
       'route-' || (i % 1000), 'mock', printf('fp%010d', i % 100000), 'POST',
       '/v1/chat/completions', 'gpt-4o-mini', NULL, CASE WHEN i % 50 = 0 THEN 429 ELSE 200 END,
       CASE WHEN i % 50 = 0 THEN 'rate_limited' ELSE 'success' END, 1.5, 0.8, 12, 9, 0, 21, 0,
       0.0001, i % 2, '127.0.0.1', 'seed', NULL, '[]', NULL, 0, NULL
     FROM n`,
  ).run(rows, start, step);
  for (const index of indexes) db.exec(index.sql);
  db.prepare(
    `WITH RECURSIVE h(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM h WHERE i < 29 * 24 - 1)
     INSERT INTO usage_hourly (hour, client, upstream, key_fp, model, requests, errors, prompt_tokens,
       completion_tokens, cached_tokens, total_tokens, estimated_requests, cost, duration_ms)
     SELECT (? / ${HOUR_MS}) * ${HOUR_MS} + i * ${HOUR_MS}, 'client-' || c.value, 'mock', 'fp', 'gpt-4o-mini',
       ? / (29 * 24 * 50), 0, 0, 0, 0, 0, 0, 0, 0
     FROM h, json_each('[${Array.from({ length: 50 }, (_, i) => i).join(',')}]') AS c`,
  ).run(start, rows);
  db.pragma('journal_mode = WAL');
  db.close();
  return { rows, seconds: Math.round((performance.now() - started) / 100) / 10 };
}
