import type { UpstreamConfig } from '../config/schema/index';
import { maskSecret } from '../observe/mask';

/** Header names whose values are credentials: returned masked, never in full. */
const SENSITIVE_HEADER = /authorization|api[-_]?key|token|secret|password|cookie|credential/i;

/** Header values with credentials masked (`sk-...abcd`). */
export function maskHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SENSITIVE_HEADER.test(name) ? maskSecret(value) : value;
  }
  return out;
}

/**
 * A client that read an upstream, changed something and wrote it back sends the masked header
 * values it was given: those keep the stored value.
 */
export function restoreMaskedHeaders(
  next: Readonly<Record<string, string>>,
  previous: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = { ...next };
  if (!previous) return out;
  for (const [name, value] of Object.entries(next)) {
    const old = previous[name];
    if (old !== undefined && SENSITIVE_HEADER.test(name) && value === maskSecret(old)) out[name] = old;
  }
  return out;
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
  const { keys: _keys, headers, url, ...rest } = config;
  return { ...rest, url: maskUrl(url), headers: maskHeaders(headers) };
}
