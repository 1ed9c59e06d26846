/** The upstream keys of the benchmark: the mock accepts any `sk-bench-…` and refuses the rest. */
export function benchKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `sk-bench-${String(i).padStart(6, '0')}`);
}

/** What clients present to gateways that check callers (Switchyard's `server.auth_keys`). */
export const CLIENT_KEY = 'sk-client-bench-0123456789';

/** Switchyard's `admin.key` in the benchmark: the harness reads `/metrics` with it. */
export const ADMIN_KEY = 'sk-admin-bench-0123456789';
