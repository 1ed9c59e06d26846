import type { AdminRequest } from './router';
import { invalid } from './validate';

/** Different keys one import may carry (repeats inside the body do not count). */
export const MAX_KEYS_PER_REQUEST = 100_000;

/**
 * The keys in an import body: `text/plain` (one per line or comma separated, `#` comments, as a
 * keys file), or JSON — an array of strings, `{"keys": [...]}` or `{"text": "..."}`.
 * Every entry is returned, repeats included: the store counts them as duplicates.
 */
export async function readKeyImport(req: AdminRequest): Promise<string[]> {
  const type = (req.header('content-type') ?? '').toLowerCase();
  const keys = type.includes('json') ? keysFromJson(await req.json()) : splitKeys(await req.text());
  if (keys.length === 0) throw invalid(['keys: no key found in the body'], 'keys');
  const distinct = keys.length > MAX_KEYS_PER_REQUEST ? new Set(keys).size : keys.length;
  if (distinct > MAX_KEYS_PER_REQUEST) {
    throw invalid(
      [`keys: at most ${MAX_KEYS_PER_REQUEST} different keys per request (got ${distinct})`],
      'keys',
    );
  }
  return keys;
}

function keysFromJson(body: unknown): string[] {
  if (Array.isArray(body)) return checked(body, 'keys');
  if (body !== null && typeof body === 'object') {
    const { keys, text } = body as { keys?: unknown; text?: unknown };
    if (Array.isArray(keys)) return checked(keys, 'keys');
    if (typeof text === 'string') return splitKeys(text);
  }
  throw invalid(['keys: send an array of keys, {"keys": [...]} or {"text": "..."}'], 'keys');
}

function checked(list: unknown[], field: string): string[] {
  return list.map((item, index) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw invalid([`${field}[${index}]: must be a non-empty string`], `${field}[${index}]`);
    }
    return item.trim();
  });
}

/** A keys file's rules (as `keys_file`): one per line or comma separated, `#` comments, blanks skipped. */
function splitKeys(text: string): string[] {
  const keys: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const hash = line.indexOf('#');
    const content = hash === -1 ? line : line.slice(0, hash);
    for (const part of content.split(',')) {
      const key = part.trim();
      if (key) keys.push(key);
    }
  }
  return keys;
}
