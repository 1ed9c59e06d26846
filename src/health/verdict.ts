/**
 * The one verdict every upstream attempt gets (see docs/health.md for the table).
 * All policies (key health, upstream health, retries, metrics) read the same verdict.
 */
export type Verdict =
  | 'success'
  | 'client_error'
  | 'rate_limited'
  | 'quota_exhausted'
  | 'invalid_key'
  | 'upstream_fault'
  | 'client_cancelled'
  | 'not_sent';

export const VERDICTS: readonly Verdict[] = [
  'success',
  'client_error',
  'rate_limited',
  'quota_exhausted',
  'invalid_key',
  'upstream_fault',
  'client_cancelled',
  'not_sent',
];

/** Verdicts that say something about the key rather than the upstream. */
export function isKeyVerdict(verdict: Verdict): boolean {
  return verdict === 'rate_limited' || verdict === 'quota_exhausted' || verdict === 'invalid_key';
}
