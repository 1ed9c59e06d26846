import { ADMIN_KEY } from './admin';
import { startTestGateway, type TestGateway } from './gateway';
import { PG_URL } from './postgres';

/** The same secret on every instance: keys sealed by one are opened by the others. */
export const FLEET_ENV = { SWITCHYARD_SECRET: 'fleet-secret-for-tests-0001' };

/** `store.url` for a schema: the test server with `search_path` set in the URL's `options`. */
export function schemaUrl(schema: string, base = PG_URL): string {
  return `${base}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/** One gateway of a fleet: the given store URL, the admin key, a fast request log. */
export function startFleetGateway(url: string, input: Record<string, unknown> = {}): Promise<TestGateway> {
  return startTestGateway(
    {
      admin: { key: ADMIN_KEY },
      store: { path: ':memory:', url },
      request_log: { flush_interval: '50ms' },
      ...input,
    },
    { env: FLEET_ENV, control: { env: FLEET_ENV } },
  );
}

/** Polls `check` every 20 ms until it holds or `ms` passed; how long it took, or undefined. */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number | undefined> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > ms) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
