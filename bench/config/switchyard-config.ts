/** Generates Switchyard's YAML for a scenario: one mock upstream, N keys, M routes. */
import { stringify } from 'yaml';
import { ADMIN_KEY, CLIENT_KEY } from './keys';

/**
 * Route matching lands with issue 4. Until then routes cannot carry `match` and the first route
 * takes every request, so a long table costs nothing. Once `match` exists, set this to true: the
 * first M−1 routes then name models nobody asks for and only the last one matches, the worst case
 * for a first-match router.
 */
export const ROUTES_WITH_MATCH = true;

export interface SwitchyardConfigOptions {
  readonly port: number;
  readonly upstreamUrl: string;
  /** Inline keys (small pools). */
  readonly keys?: readonly string[];
  /** A keys file (large pools), relative to the config file or absolute. */
  readonly keysFile?: string;
  readonly routes: number;
  readonly storePath: string;
  readonly logLevel?: string;
  /** `server.workers`: worker processes behind the one port (`auto`: one per core). */
  readonly workers?: number | 'auto';
  /** `server.transport` (left out when unset, so older checkouts accept the file). */
  readonly transport?: 'undici' | 'lean';
}

export interface RouteEntry {
  name: string;
  upstreams: string[];
  match?: { model: string };
}

/** Route `i` of `total`: with matching on, only the last one matches the benchmark's model. */
export function routeEntry(
  i: number,
  total: number,
  upstream: string,
  withMatch = ROUTES_WITH_MATCH,
): RouteEntry {
  const entry: RouteEntry = { name: `route-${i}`, upstreams: [upstream] };
  if (withMatch) entry.match = { model: i === total - 1 ? 'gpt-4o-mini' : `bench-unused-${i}` };
  return entry;
}

export function switchyardConfig(options: SwitchyardConfigOptions): string {
  const upstream: Record<string, unknown> = { name: 'mock', url: options.upstreamUrl };
  if (options.keys) upstream.keys = [...options.keys];
  if (options.keysFile) upstream.keys_file = options.keysFile;
  const config: Record<string, unknown> = {
    server: {
      host: '127.0.0.1',
      port: options.port,
      auth_keys: [CLIENT_KEY],
      log_level: options.logLevel ?? 'info',
      log_format: 'json',
      ...(options.workers === undefined ? {} : { workers: options.workers }),
      ...(options.transport ? { transport: options.transport } : {}),
    },
    store: { path: options.storePath },
    admin: { key: ADMIN_KEY },
    upstreams: [upstream],
  };
  if (options.routes > 0) {
    config.routes = Array.from({ length: options.routes }, (_, i) => routeEntry(i, options.routes, 'mock'));
  }
  return stringify(config);
}
