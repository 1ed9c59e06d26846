import { AnchoredSecrets } from './anchored-secrets';
import { maskSecret } from './mask';

/** Token-like runs of characters; each is checked against the known secrets and key patterns. */
const CANDIDATE = /[A-Za-z0-9_\-.~+/]{12,}=*/g;
/** Shapes of well-known API keys, masked even when the gateway does not know the key. */
const KEY_SHAPE = /^(?:sk-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,}|xai-[A-Za-z0-9]{20,})$/;

/** Whether a token has the shape of a well-known provider key (`sk-…`, `AIza…`, `xai-…`). */
export function isProviderKeyShaped(token: string): boolean {
  return KEY_SHAPE.test(token);
}
const SHORT = 12;
/** A secret the token pass finds: a run of token characters, maybe with base64 padding. */
const TOKEN_SECRET = /^[A-Za-z0-9_\-.~+/]{12,}=*$/;
const TOKEN_CHARS = /^[A-Za-z0-9_\-.~+/]+$/;
/** Characters that join a secret to its neighbours in paths and file names. */
const SEPARATOR = /[/.~+]/;
const SEPARATORS = /([/.~+])/;
/** Tokens split into more parts than this are only checked whole (a cap on the work per token). */
const MAX_PARTS = 129;

/**
 * Masks secrets in text: every secret registered with `add` and anything shaped like a
 * provider key. Used by the logger on every line and on upstream error messages.
 * Long secrets of the token alphabet (nearly all keys) are found with one regex pass and a set
 * lookup; secrets with other characters (`appid:secret`, `user@pw!`) by one scan anchored at
 * their first such character (AnchoredSecrets). Neither cost grows with the number of keys.
 * The rare short secret is searched for directly.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly shortSecrets = new Set<string>();
  private readonly anchored = new AnchoredSecrets();

  add(secret: string): void {
    if (secret.length < 4) return;
    if (TOKEN_SECRET.test(secret)) this.secrets.add(secret);
    else if (TOKEN_CHARS.test(secret)) this.shortSecrets.add(secret);
    else this.addAnchored(secret);
  }

  replaceAll(secrets: Iterable<string>): void {
    this.secrets.clear();
    this.shortSecrets.clear();
    this.anchored.clear();
    for (const secret of secrets) this.add(secret);
  }

  redact(text: string): string {
    return this.mask(text, true);
  }

  /**
   * Masks only the registered secrets, not other key-shaped text: for upstream content passed to
   * clients (a model may well write `sk-…` in an answer).
   */
  redactRegistered(text: string): string {
    return this.mask(text, false);
  }

  private mask(text: string, shapes: boolean): string {
    let out = this.anchored.redact(text);
    out = out.replace(CANDIDATE, (match) => this.redactToken(match, shapes));
    for (const secret of this.shortSecrets) {
      if (out.includes(secret)) out = out.split(secret).join(maskSecret(secret));
    }
    return out;
  }

  /**
   * Log lines are JSON, where `"` and `\` in a secret appear escaped: the escaped form is
   * registered too, with its mask escaped the same way so the line stays valid JSON.
   */
  private addAnchored(secret: string): void {
    const mask = maskSecret(secret);
    this.anchored.add(secret, mask);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) this.anchored.add(escaped, JSON.stringify(mask).slice(1, -1));
  }

  private isSecret(token: string, shapes: boolean): boolean {
    return this.secrets.has(token) || (shapes && KEY_SHAPE.test(token));
  }

  /**
   * A token is masked whole when it is a secret. Otherwise it may hold one between separators
   * (`/v1/models/sk-…`, `dir/sk-….txt`): runs of its segments are checked, longest first, so a
   * secret that itself contains `/` or `+` (base64) is still found.
   */
  private redactToken(token: string, shapes: boolean): string {
    if (this.isSecret(token, shapes)) return maskSecret(token);
    if (!SEPARATOR.test(token)) return token;
    const parts = token.split(SEPARATORS);
    if (parts.length > MAX_PARTS) return token;
    let out = '';
    let i = 0;
    while (i < parts.length) {
      const end = i % 2 === 0 ? this.longestSecretFrom(parts, i, shapes) : -1;
      if (end === -1) {
        out += parts[i];
        i++;
      } else {
        out += maskSecret(parts.slice(i, end + 1).join(''));
        i = end + 1;
      }
    }
    return out;
  }

  /** The last segment index of the longest secret starting at segment `start`, or -1. */
  private longestSecretFrom(parts: readonly string[], start: number, shapes: boolean): number {
    for (let end = parts.length - 1 - ((parts.length - 1 - start) % 2); end >= start; end -= 2) {
      const candidate = parts.slice(start, end + 1).join('');
      if (candidate.length >= SHORT && this.isSecret(candidate, shapes)) return end;
    }
    return -1;
  }
}
