/**
 * Masks secrets in an upstream error body the gateway holds before passing it on: an upstream
 * that echoes the key it was sent ("Incorrect API key provided: sk-…") must not hand the
 * gateway's key to the client. Compressed bodies are left as they are.
 */
export function scrubErrorBody(
  body: Buffer,
  contentEncoding: string | undefined,
  redact: ((text: string) => string) | undefined,
): Buffer {
  if (!redact || body.length === 0) return body;
  if (contentEncoding && contentEncoding !== 'identity') return body;
  const text = body.toString('utf8');
  const clean = redact(text);
  return clean === text ? body : Buffer.from(clean, 'utf8');
}
