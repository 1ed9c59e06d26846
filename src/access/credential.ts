/**
 * Where clients put the gateway's credential (auth keys and client tokens), in the order one is
 * taken when several are sent: OpenAI's and Claude Code's `Authorization: Bearer`, Anthropic's
 * `x-api-key`, Azure's `api-key`, Gemini's `x-goog-api-key`, and Gemini's `?key=` query
 * parameter. The first place that holds a non-empty value wins; the others are not looked at,
 * so a request carrying two different credentials is judged by the first alone (a wrong first one
 * is a 401 even when a later one would match). An empty value, or an `Authorization` header that
 * is not `Bearer`, counts as absent (Gemini CLI sends an empty `x-goog-api-key` when its key
 * goes in a custom header). None of these is ever forwarded upstream (src/proxy/headers.ts).
 */
export const CREDENTIAL_HEADERS = ['x-api-key', 'api-key', 'x-goog-api-key'] as const;

/** The query parameter Gemini clients put their key in. */
export const QUERY_CREDENTIAL = 'key';

/**
 * The credential a client presented, or undefined when it presented none. `queryKey`: the
 * `?key=` value taken off the request target by `takeQueryCredential`.
 */
export function presentedCredential(
  header: (name: string) => string | undefined,
  queryKey?: string,
): string | undefined {
  const bearer = bearerOf(header('authorization'));
  if (bearer) return bearer;
  for (const name of CREDENTIAL_HEADERS) {
    const value = header(name)?.trim();
    if (value) return value;
  }
  return queryKey || undefined;
}

function bearerOf(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer\s+(.*)$/i.exec(authorization.trim());
  return match?.[1]?.trim() || undefined;
}

/** A request target with the `key` query parameter taken off. */
export interface StrippedTarget {
  /** The path and the query without any `key` parameter (the rest exactly as sent). */
  readonly url: string;
  /** The first non-empty `key` value, decoded; undefined when there is none. */
  readonly key: string | undefined;
}

/**
 * Takes every `key` parameter off a target's query (however its name is percent-encoded), so
 * the credential is never forwarded, logged, cached or made part of a cache key. The other
 * parameters keep their bytes and order; a query left empty loses its `?`.
 */
export function takeQueryCredential(url: string): StrippedTarget {
  const q = url.indexOf('?');
  if (q === -1) return { url, key: undefined };
  let key: string | undefined;
  const pairs = url.slice(q + 1).split('&');
  const kept: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    if (name !== QUERY_CREDENTIAL) {
      kept.push(pair);
      continue;
    }
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    key ||= value || undefined;
  }
  if (kept.length === pairs.length) return { url, key: undefined };
  const query = kept.join('&');
  return { url: url.slice(0, q) + (query === '' ? '' : `?${query}`), key };
}

/** Form-urlencoded decoding (`+` is a space); text that is not valid percent-encoding stays as is. */
function decodeComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
