import type { CacheScope } from '../config/schema/index';
import { hashing, hex } from '../core/crypto';

/** Request headers that change an upstream's answer (API versions and betas), part of the key. */
const KEY_HEADERS = ['anthropic-version', 'anthropic-beta', 'openai-beta'] as const;

export interface KeyParts {
  readonly scope: CacheScope;
  /** The identified client's name (never its credential); undefined on an open gateway. */
  readonly client: string | undefined;
  readonly route: string;
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  /** The request body after the route's rewrites (model, body fields), before access control. */
  readonly json: unknown;
  readonly header: (name: string) => string | undefined;
}

/**
 * The exact-match key: route, method, path and query, the body (the rewritten model included)
 * with its object keys sorted, and the headers that select an API version. With `scope: client`
 * the client's name is part of it, so one client never receives another's entry. Credentials
 * are never part of it. A SHA-256 digest, so keys are short and reveal nothing.
 */
export function cacheKey(parts: KeyParts): string {
  const headers = KEY_HEADERS.map((name) => parts.header(name) ?? '');
  const client = parts.scope === 'client' ? `client:${parts.client ?? ''}` : 'global';
  const text = JSON.stringify([client, parts.route, parts.method, parts.url, headers, sorted(parts.json)]);
  return hex(hashing().sha256(text));
}

/** A JSON value with every object's keys in order: `{"b":1,"a":2}` and `{"a":2,"b":1}` are one entry. */
export function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sorted((value as Record<string, unknown>)[key]);
  return out;
}
