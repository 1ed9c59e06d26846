import { GatewayError } from './errors';

/** A request target in origin form after normalisation: what routing sees and what is forwarded. */
export interface NormalisedTarget {
  /** The normalised path plus the query exactly as sent (`/v1/files?limit=2`). */
  readonly url: string;
  /** The authority of an absolute-form target; it replaces the `Host` header (RFC 9112 §3.2.2). */
  readonly host: string | undefined;
}

/** `*` (server-wide OPTIONS): the only target that is not a path. */
export const ASTERISK: NormalisedTarget = { url: '*', host: undefined };

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/;

/**
 * Turns the request target into the one form the gateway routes on and forwards (RFC 9112 §3.2,
 * RFC 3986 §5.2.4): absolute form becomes origin form; `%2e` and `%3a` are decoded; `%2f`, `%5c` and raw
 * backslashes are refused (they would let one path reach a route written for another); runs of
 * `/` collapse to one; `.` and `..` segments are resolved, and a `..` above the root is refused.
 * The query is kept exactly as sent. Throws `invalid_target` (400) for anything else.
 */
export function normaliseTarget(method: string, raw: string): NormalisedTarget {
  if (raw === '*') {
    if (method === 'OPTIONS') return ASTERISK;
    throw invalid('The request target "*" is only allowed with OPTIONS.');
  }
  let host: string | undefined;
  let rest = raw;
  const absolute = ABSOLUTE.exec(raw);
  if (absolute) {
    const scheme = absolute[1]!.toLowerCase();
    if (scheme !== 'http' && scheme !== 'https')
      throw invalid('Only http and https request targets are allowed.');
    host = absolute[2]!.replace(/^[^@]*@/, '');
    if (host === '') throw invalid('The absolute request target has no host.');
    rest = absolute[3]!.startsWith('/') ? absolute[3]! : `/${absolute[3]!}`;
  } else if (!raw.startsWith('/')) {
    throw invalid('The request target must be a path starting with "/".');
  }
  const q = rest.indexOf('?');
  const path = q === -1 ? rest : rest.slice(0, q);
  const query = q === -1 ? '' : rest.slice(q);
  return { url: normalisePath(path) + query, host };
}

/** `%2e` and `%3a` (Gemini's `models/{model}%3AgenerateContent`) decoded, encoded separators refused, duplicate slashes collapsed, dot-segments resolved. */
export function normalisePath(path: string): string {
  if (path.includes('\\')) throw invalid('Backslashes are not allowed in the request path.');
  if (path.includes('#')) throw invalid('A fragment is not allowed in the request target.');
  const decoded = path.replace(/%(2[eEfF]|5[cC]|3[aA])/g, (match, hex: string) => {
    if (hex.toLowerCase() === '2e') return '.';
    if (hex.toLowerCase() === '3a') return ':';
    throw invalid(`The encoded separator ${match} is not allowed in the request path.`);
  });
  const segments = decoded.split('/');
  const out: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === '..') {
      if (out.length === 0) throw invalid('The request path leads above the root.');
      out.pop();
      if (last) out.push('');
    } else if (segment === '.') {
      if (last) out.push('');
    } else if (segment !== '' || last) {
      out.push(segment);
    }
  }
  return `/${out.join('/')}`.replace(/\/{2,}/g, '/');
}

function invalid(message: string): GatewayError {
  return new GatewayError('invalid_target', { message });
}
