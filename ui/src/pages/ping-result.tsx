import type { PingResult as Result } from '../api/types';
import { StateBadge } from '../components/state-badge';
import { ms, time } from '../format';

/** One probe or ping: ok or not, status, time to first byte, when, and the error if any. */
export function PingResult({ result }: { result: Result | null | undefined }) {
  if (!result) return <>—</>;
  return (
    <>
      <StateBadge state={result.ok ? 'success' : 'upstream_fault'} /> {result.status || ''}{' '}
      {ms(result.ttfb_ms)} <span class="sub">{time(result.at)}</span>
      {result.error ? <div class="sub">{result.error}</div> : null}
    </>
  );
}
