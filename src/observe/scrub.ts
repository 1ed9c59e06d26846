import { text, utf8 } from '../http/bytes';

/**
 * Masks secrets in an upstream error body the gateway holds before passing it on: an upstream
 * that echoes the key it was sent ("Incorrect API key provided: sk-…") must not hand the
 * gateway's key to the client. Compressed bodies are left as they are.
 */
export function scrubErrorBody(
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
