import { text, utf8 } from '../http/bytes';
import type { HeaderRecord } from '../http/types';

/**
 * Masks secrets in an upstream body the gateway holds before passing it on: an upstream that
 * echoes the key it was sent ("Incorrect API key provided: sk-…") must not hand the gateway's key
 * to the client. Error bodies get the full redactor, held success bodies only the registered
 * secrets (docs/security.md). Compressed bodies are left as they are.
 */
export function scrubHeldBody(
  body: Uint8Array,
  contentEncoding: string | undefined,
  redact: ((text: string) => string) | undefined,
): Uint8Array {
  if (!redact || body.length === 0) return body;
  if (contentEncoding && contentEncoding !== 'identity') return body;
  const original = text(body);
  const clean = redact(original);
  return clean === original ? body : utf8(clean);
}

/**
 * Masks secrets in upstream response headers before they are passed on. Returns the same object
 * when nothing changed (the usual case), so the hot path allocates nothing.
 */
export function maskHeaders(
  headers: HeaderRecord,
  redact: ((text: string) => string) | undefined,
): HeaderRecord {
  if (!redact) return headers;
  let out: Record<string, string | string[] | undefined> | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const clean = typeof value === 'string' ? redact(value) : value.map(redact);
    if (typeof value === 'string' ? clean === value : sameList(value, clean as string[])) continue;
    out ??= { ...headers };
    out[name] = clean;
  }
  return out ?? headers;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.every((item, i) => item === b[i]);
}
