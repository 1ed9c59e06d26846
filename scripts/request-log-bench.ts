/**
 * Fills a request log with a million rows and times the admin queries on it:
 * `node --import tsx scripts/request-log-bench.ts [rows]`. The numbers in docs/request-log.md
 * come from here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCESS_MIGRATIONS } from '../src/store/access-migrations';
import { queryRequests, type RequestQuery } from '../src/store/request-log/query';
import { queryUsage } from '../src/store/request-log/rollups';
import { RequestLogWriter } from '../src/store/request-log/writer';
import { migrate, openSqlite } from '../src/store/sqlite';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'sy-log-bench-'));
const db = openSqlite(join(dir, 'bench.db'));
migrate(db, ACCESS_MIGRATIONS);
const writer = new RequestLogWriter(db, { flushIntervalMs: 3_600_000, batchSize: 1e9, queueLimit: 1e9 });
const start = Date.UTC(2026, 0, 1);
const span = 30 * 86_400_000;
const clients = Array.from({ length: 200 }, (_, i) => `client-${i}`);
const upstreams = ['openai', 'azure', 'groq', 'local'];
const models = ['gpt-4o', 'gpt-4o-mini', 'o3-mini', 'llama-3', 'text-embedding-3-small'];
let written = 0;
let t = performance.now();
for (let i = 0; i < rows; i++) {
  writer.enqueue({
    ts: start + Math.floor((i / rows) * span),
    request_id: `req-${i}`,
    client: clients[i % clients.length]!,
    route: 'default',
    upstream: upstreams[i % 4]!,
    key_fp: `key${i % 40}`,
    method: 'POST',
    path: '/v1/chat/completions',
    model: models[i % 5]!,
    sent_model: models[i % 5]!,
    status: i % 50 === 0 ? 429 : i % 97 === 0 ? 502 : 200,
    verdict: 'success',
    duration_ms: 100 + (i % 900),
    ttfb_ms: 50,
    prompt_tokens: 100,
    completion_tokens: 50,
    cached_tokens: 0,
    total_tokens: 150,
    tokens_estimated: 0,
    cost: 0.0001,
    stream: i % 2 === 0 ? 1 : 0,
    client_ip: '10.0.0.1',
    user_agent: 'bench',
    error: null,
    attempts: '[{"upstream":"openai","key_fp":"key1","status":200,"verdict":"success","duration_ms":100}]',
  });
  if (writer.pending >= 5000) written += writer.flush();
}
written += writer.flush();
const insertMs = performance.now() - t;
console.log(
  `inserted ${written} rows in batches of 5000: ${(insertMs / 1000).toFixed(1)} s (${Math.round(written / (insertMs / 1000))} rows/s)`,
);
db.pragma('optimize');

const mid = start + span / 2;
const cases: [string, RequestQuery][] = [
  ['newest page, no filter', {}],
  ['one client', { client: 'client-7' }],
  ['one upstream, one day', { upstream: 'groq', from: mid, to: mid + 86_400_000 }],
  ['one model', { model: 'o3-mini' }],
  ['status 502', { status: '502' }],
  ['status 5xx', { status: '5xx' }],
  ['client + status 429', { client: 'client-7', status: '429' }],
  ['client + model + day', { client: 'client-7', model: 'gpt-4o', from: mid, to: mid + 86_400_000 }],
];
for (const [name, query] of cases) {
  t = performance.now();
  let page = queryRequests(db, { ...query, limit: 100 });
  const firstMs = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < 20 && page.next_cursor; i++)
    page = queryRequests(db, { ...query, limit: 100, cursor: page.next_cursor });
  console.log(
    `${name.padEnd(28)} first page ${firstMs.toFixed(2)} ms, 20 more pages ${(performance.now() - t).toFixed(2)} ms`,
  );
}
t = performance.now();
queryUsage(db, { groupBy: ['client', 'model'], from: start, to: start + span });
console.log(`usage by client and model, 30 days: ${(performance.now() - t).toFixed(2)} ms`);
db.close();
rmSync(dir, { recursive: true, force: true });
