import { parseKeyList } from '../config/key-list';
import type { AdminRequest } from './router';
import { invalid } from './validate';

export const MAX_KEYS_PER_REQUEST = 100_000;

/**
 * The keys in an import body: `text/plain` (one per line or comma separated, `#` comments, as a
 * keys file), or JSON — an array of strings, `{"keys": [...]}` or `{"text": "..."}`.
 * Duplicates inside the body are dropped here; those the upstream already has, by the store.
 */
export async function readKeyImport(req: AdminRequest): Promise<string[]> {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  const keys = type.includes('json') ? keysFromJson(await req.json()) : parseKeyList(await req.text());
  if (keys.length === 0) throw invalid(['keys: no key found in the body'], 'keys');
  if (keys.length > MAX_KEYS_PER_REQUEST) {
    throw invalid([`keys: at most ${MAX_KEYS_PER_REQUEST} keys per request (got ${keys.length})`], 'keys');
  }
  return keys;
}

function keysFromJson(body: unknown): string[] {
  if (Array.isArray(body)) return checked(body, 'keys');
  if (body !== null && typeof body === 'object') {
    const { keys, text } = body as { keys?: unknown; text?: unknown };
    if (Array.isArray(keys)) return checked(keys, 'keys');
    if (typeof text === 'string') return parseKeyList(text);
  }
  throw invalid(['keys: send an array of keys, {"keys": [...]} or {"text": "..."}'], 'keys');
}

function checked(list: unknown[], field: string): string[] {
  const keys = new Set<string>();
  list.forEach((item, index) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw invalid([`${field}[${index}]: must be a non-empty string`], `${field}[${index}]`);
    }
    keys.add(item.trim());
  });
  return [...keys];
}
