import { isProviderKeyShaped } from '../observe/redact';
import type { Config } from './schema/index';

/**
 * Header names whose values are credentials: `authorization`, `x-api-key`, `api-key`,
 * `ocp-apim-subscription-key`, `*token*`, `*secret*`, `*password*`, `cookie`, `*signature*`…
 */
const CREDENTIAL_NAME =
  /auth|api[-_]?key|(?:^|[-_])key(?:$|[-_])|token|secret|passw|cookie|credential|signature|session/i;
/** `Bearer abc…`, `Basic dXNl…`: a scheme, then the credential itself. */
const SCHEME_AND_CREDENTIAL = /^[A-Za-z][A-Za-z0-9_-]*\s+(\S+)$/;

/**
 * Whether a header value is a credential: by its name, or because the value (or its last word,
 * after a scheme such as `Bearer`) has the shape of a provider key.
 */
export function isCredentialHeader(name: string, value: string): boolean {
  if (CREDENTIAL_NAME.test(name)) return true;
  const credential = SCHEME_AND_CREDENTIAL.exec(value)?.[1] ?? value;
  return isProviderKeyShaped(credential);
}

/** A header map as configuration objects hold it (API definitions may hold anything here). */
export type HeaderMap = Readonly<Record<string, unknown>>;
export type HeaderObjectKind = 'upstream' | 'route';
type Path = readonly string[];

/** Where header maps sit in an upstream or a route, in the config and in API definitions alike. */
const HEADER_MAP_PATHS: Record<HeaderObjectKind, readonly Path[]> = {
  upstream: [['headers'], ['health_check', 'headers'], ['keepalive', 'headers']],
  route: [['headers', 'set']],
};

/** The object's header maps that are present. */
export function headerMaps(kind: HeaderObjectKind, object: unknown): HeaderMap[] {
  const maps: HeaderMap[] = [];
  for (const path of HEADER_MAP_PATHS[kind]) {
    const map = valueAt(object, path);
    if (isRecord(map)) maps.push(map);
  }
  return maps;
}

/**
 * A copy of the object with each header map present replaced by `change(map, path)`; the
 * objects on the way to a map are copied, the rest is shared.
 */
export function mapHeaderMaps<T>(
  kind: HeaderObjectKind,
  object: T,
  change: (map: HeaderMap, path: Path) => HeaderMap,
): T {
  let out: unknown = object;
  for (const path of HEADER_MAP_PATHS[kind]) {
    const map = valueAt(out, path);
    if (isRecord(map)) out = withValueAt(out as Record<string, unknown>, path, change(map, path));
  }
  return out as T;
}

/** The value at a path of nested objects, or undefined. */
export function valueAt(object: unknown, path: Path): unknown {
  let current = object;
  for (const field of path) {
    if (!isRecord(current)) return undefined;
    current = current[field];
  }
  return current;
}

/**
 * Every credential header value in the configuration (upstream, health check, keep-alive and
 * route headers), and the credential part of `Bearer …`-style values, for the redactor.
 */
export function credentialHeaderValues(config: Config): string[] {
  const values: string[] = [];
  const collect = (map: HeaderMap) => {
    for (const [name, value] of Object.entries(map)) {
      if (typeof value !== 'string' || !isCredentialHeader(name, value)) continue;
      values.push(value);
      const credential = SCHEME_AND_CREDENTIAL.exec(value)?.[1];
      if (credential) values.push(credential);
    }
  };
  for (const upstream of config.upstreams) headerMaps('upstream', upstream).forEach(collect);
  for (const route of config.routes ?? []) headerMaps('route', route).forEach(collect);
  return values;
}

function withValueAt(object: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const [field, ...rest] = path as [string, ...string[]];
  const next = rest.length === 0 ? value : withValueAt(object[field] as Record<string, unknown>, rest, value);
  return { ...object, [field]: next };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
