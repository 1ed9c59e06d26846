import { hashing, hex } from '../core/crypto';

/**
 * `sk-...abcd`: the prefix up to the first dash (when it is short), then the last four characters.
 * Secrets under 12 characters keep no suffix, so a short key is never mostly revealed.
 */
export function maskSecret(secret: string): string {
  const prefix = /^[A-Za-z]{1,6}-/.exec(secret)?.[0] ?? '';
  if (secret.length < 12) return `${prefix}...`;
  return `${prefix}...${secret.slice(-4)}`;
}

/** A stable, non-reversible identifier of a secret for logs, state and the request log. */
export function fingerprint(secret: string): string {
  return hex(hashing().sha256(secret)).slice(0, 12);
}
