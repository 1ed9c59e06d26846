/** A key's id as the gateway computes it: the first 12 hex digits of its SHA-256. */
async function fingerprint(secret: string): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null; // only in secure contexts (https or localhost)
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return hex.slice(0, 12);
}

const WHOLE_KEY = 16;

/**
 * What to search an upstream's keys for: a whole key pasted in is searched by its id (or, where
 * the browser cannot hash, by its last four characters), so the key itself never leaves the page.
 */
export async function keySearchTerm(text: string): Promise<string> {
  const term = text.trim();
  if (term.length < WHOLE_KEY) return term;
  return (await fingerprint(term)) ?? `...${term.slice(-4)}`;
}
