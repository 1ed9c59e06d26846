import type { RouteConfig, UpstreamConfig } from '../config/schema/index';
import {
  type HeaderMap,
  type HeaderObjectKind,
  isCredentialHeader,
  mapHeaderMaps,
  valueAt,
} from '../config/secret-headers';
import { maskSecret } from '../observe/mask';

/** Header values with credentials masked (`sk-...abcd`). */
export function maskHeaders(headers: HeaderMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = typeof value === 'string' && isCredentialHeader(name, value) ? maskSecret(value) : value;
  }
  return out;
}

/**
 * A client that read an object, changed something and wrote it back sends the masked header
 * values it was given: those keep the stored value.
 */
export function restoreMaskedHeaders(next: HeaderMap, previous: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { ...next };
  if (previous === null || typeof previous !== 'object') return out;
  for (const [name, value] of Object.entries(next)) {
    const old = (previous as Record<string, unknown>)[name];
    if (typeof old === 'string' && isCredentialHeader(name, old) && value === maskSecret(old))
      out[name] = old;
  }
  return out;
}

/**
 * `restoreMaskedHeaders` for every header map of an upstream or route definition (upstream,
 * health check and keep-alive headers; a route's `headers.set`), against the stored definition.
 */
export function restoreMaskedHeaderMaps(
  kind: HeaderObjectKind,
  next: Record<string, unknown>,
  stored: Record<string, unknown>,
): Record<string, unknown> {
  return mapHeaderMaps(kind, next, (map, path) => restoreMaskedHeaders(map, valueAt(stored, path)));
}

/** A URL with any password masked. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = maskSecret(decodeURIComponent(parsed.password));
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The running configuration of an upstream as the API shows it: keys counted, secrets masked. */
export function presentUpstreamConfig(config: UpstreamConfig): Record<string, unknown> {
  const { keys: _keys, url, ...rest } = mapHeaderMaps('upstream', config, maskHeaders);
  return { ...rest, url: maskUrl(url) };
}

/** A route as the API shows it: credential values of `headers.set` masked. */
export function presentRouteConfig(route: RouteConfig): RouteConfig {
  return mapHeaderMaps('route', route, maskHeaders);
}
