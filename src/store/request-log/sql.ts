import type { RequestRecord } from '../../observe/request-record';
import type { Rollup, UsageGroup } from './rollups';

/**
 * The request log's SQL, shared by every SQL driver (SQLite, D1): the columns a record is
 * written to and the hourly rollup upsert. `placeholder` names a column's parameter in the
 * driver's style (`@name` for better-sqlite3, `?` for D1).
 */
export const REQUEST_LOG_COLUMNS = [
  'ts',
  'request_id',
  'client',
  'route',
  'upstream',
  'key_fp',
  'method',
  'path',
  'model',
  'sent_model',
  'status',
  'verdict',
  'duration_ms',
  'ttfb_ms',
  'prompt_tokens',
  'completion_tokens',
  'cached_tokens',
  'total_tokens',
  'tokens_estimated',
  'cost',
  'stream',
  'client_ip',
  'user_agent',
  'error',
  'attempts',
  'cache',
  'saved_tokens',
  'saved_cost',
] as const satisfies readonly (keyof RequestRecord)[];

/** The columns of one hourly rollup row, in the order of `upsertRollupSql`'s parameters. */
export const ROLLUP_COLUMNS = [
  'hour',
  'client',
  'upstream',
  'key_fp',
  'model',
  'requests',
  'errors',
  'prompt_tokens',
  'completion_tokens',
  'cached_tokens',
  'total_tokens',
  'estimated_requests',
  'cost',
  'duration_ms',
] as const satisfies readonly (keyof Rollup)[];

/** The summed columns of a rollup (everything after the key). */
const SUMMED = ROLLUP_COLUMNS.slice(5);

export type Placeholder = (column: string) => string;

export function insertRequestSql(placeholder: Placeholder): string {
  const values = REQUEST_LOG_COLUMNS.map(placeholder).join(', ');
  return `INSERT INTO request_log (${REQUEST_LOG_COLUMNS.join(', ')}) VALUES (${values})`;
}

/** Adds a batch's figures to the hour's row, creating it when it is the first. */
export function upsertRollupSql(placeholder: Placeholder): string {
  return `INSERT INTO usage_hourly (${ROLLUP_COLUMNS.join(', ')})
    VALUES (${ROLLUP_COLUMNS.map(placeholder).join(', ')})
    ON CONFLICT (hour, client, upstream, key_fp, model) DO UPDATE SET
    ${SUMMED.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')}`;
}

/** What each `group_by` of a usage query groups the hourly rollups on. */
export const USAGE_GROUP_SQL: Record<UsageGroup, string> = {
  client: 'client',
  upstream: 'upstream',
  key: 'key_fp',
  model: 'model',
  hour: 'hour',
  day: '(hour / 86400000) * 86400000',
};

/** The sums a usage query answers for each group (the average is NULL for a group with no request). */
export const USAGE_SUMS = [
  'SUM(requests) AS requests',
  'SUM(errors) AS errors',
  'SUM(prompt_tokens) AS prompt_tokens',
  'SUM(completion_tokens) AS completion_tokens',
  'SUM(cached_tokens) AS cached_tokens',
  'SUM(total_tokens) AS total_tokens',
  'SUM(estimated_requests) AS estimated_requests',
  'SUM(cost) AS cost',
  'SUM(duration_ms) / NULLIF(SUM(requests), 0) AS avg_duration_ms',
] as const;
