import type { Verdict } from '../health/verdict';

/**
 * Where a retry goes after a verdict: another key of any upstream still in play ('key'), or
 * another upstream ('upstream'). null: the answer is final (success, client error, cancel).
 */
export function retryScope(verdict: Verdict): 'key' | 'upstream' | null {
  switch (verdict) {
    case 'rate_limited':
    case 'quota_exhausted':
    case 'invalid_key':
      return 'key';
    case 'upstream_fault':
      return 'upstream';
    default:
      return null;
  }
}
