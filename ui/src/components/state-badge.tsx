const TONES: Readonly<Record<string, string>> = {
  active: 'ok',
  healthy: 'ok',
  usable: 'ok',
  enabled: 'ok',
  success: 'ok',
  cooling: 'warn',
  degraded: 'warn',
  rate_limited: 'warn',
  client_error: 'warn',
  client_cancelled: 'muted',
  disabled: 'bad',
  ejected: 'bad',
  'probe-down': 'bad',
  invalid_key: 'bad',
  quota_exhausted: 'bad',
  upstream_fault: 'bad',
  rejected: 'bad',
  off: 'muted',
  file: 'muted',
  api: 'info',
};

/** A state or verdict as a small coloured label; the word itself carries the meaning. */
export function StateBadge({ state }: { state: string | null | undefined }) {
  if (!state) return <span class="badge muted">—</span>;
  return <span class={`badge ${TONES[state] ?? 'muted'}`}>{state}</span>;
}
