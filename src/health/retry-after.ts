import type { HeaderRecord } from '../http/types';

/**
 * How long the upstream asked us to wait, in milliseconds: `retry-after-ms`, `retry-after`
 * (seconds or an HTTP date), or OpenAI's `x-ratelimit-reset-requests` / `-tokens` (for the
 * limit whose `remaining` is 0, else the longer). Undefined when no header says.
 */
export function retryAfterMs(headers: HeaderRecord, now: number): number | undefined {
  const ms = numberHeader(headers, 'retry-after-ms');
  if (ms !== undefined) return ms;
  const retryAfter = single(headers['retry-after']);
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && retryAfter.trim() !== '') return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return rateLimitReset(headers);
}

function rateLimitReset(headers: HeaderRecord): number | undefined {
  const requests = parseResetDuration(single(headers['x-ratelimit-reset-requests']));
  const tokens = parseResetDuration(single(headers['x-ratelimit-reset-tokens']));
  if (requests === undefined) return tokens;
  if (tokens === undefined) return requests;
  if (numberHeader(headers, 'x-ratelimit-remaining-requests') === 0) return requests;
  if (numberHeader(headers, 'x-ratelimit-remaining-tokens') === 0) return tokens;
  return Math.max(requests, tokens);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** OpenAI's reset format: `20ms`, `1s`, `6m0s`, `1h2m3.5s`; a bare number is seconds. */
export function parseResetDuration(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const bare = Number(text);
  if (Number.isFinite(bare)) return bare * 1000;
  let total = 0;
  let matched = '';
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(part[1]) * UNIT_MS[part[2]!]!;
    matched += part[0];
  }
  return matched.length === text.trim().length ? total : undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function numberHeader(headers: HeaderRecord, name: string): number | undefined {
  const value = single(headers[name]);
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
