import type { ClientRequest } from '../http/types';

/**
 * A Gemini client's credential for the gateway: the `x-goog-api-key` header (the SDKs, Gemini
 * CLI) or a `key` query parameter (curl examples, older clients). The Gemini paths strip `key`
 * from the query before anything is forwarded (src/providers/gemini/native.ts).
 */
export function geminiCredential(req: Pick<ClientRequest, 'header'>, url: string): string | undefined {
  const header = req.header('x-goog-api-key');
  if (header) return header;
  const q = url.indexOf('?');
  if (q === -1) return undefined;
  for (const pair of url.slice(q + 1).split('&')) {
    if (!pair.startsWith('key=')) continue;
    try {
      const value = decodeURIComponent(pair.slice(4).replace(/\+/g, ' '));
      return value === '' ? undefined : value;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
