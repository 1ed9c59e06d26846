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
/** Field values remembered by `redactField` (paths, models, user agents repeat request after request). */
const FIELD_MEMO_SIZE = 1024;
/** Longer field values are redacted every time, not remembered. */
const FIELD_MEMO_MAX_LENGTH = 256;

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
  /** Token secrets with a separator in them (base64 keys with `/` or `+`, dotted tokens). */
  private separatedSecrets = 0;
  private readonly shortSecrets = new Set<string>();
  private readonly anchored = new AnchoredSecrets();
  /** `redactField`'s answers by value; emptied whenever the secrets change. */
  private readonly fields = new Map<string, string>();

  add(secret: string): void {
    if (secret.length < 4) return;
    this.fields.clear();
    if (TOKEN_SECRET.test(secret)) {
      if (!this.secrets.has(secret) && SEPARATOR.test(secret)) this.separatedSecrets++;
      this.secrets.add(secret);
    } else if (TOKEN_CHARS.test(secret)) this.shortSecrets.add(secret);
    else this.addAnchored(secret);
  }

  replaceAll(secrets: Iterable<string>): void {
    this.secrets.clear();
    this.separatedSecrets = 0;
    this.shortSecrets.clear();
    this.anchored.clear();
    this.fields.clear();
    for (const secret of secrets) this.add(secret);
  }

  redact(text: string): string {
    return this.mask(text, true);
  }

  /**
   * `redact` for one field value (a path, a model, a user agent), remembered: the values of a
   * request's fields repeat from request to request, so the request line and the request log
   * redact each distinct value once instead of scanning every line.
   */
  redactField(text: string): string {
    if (text.length > FIELD_MEMO_MAX_LENGTH) return this.mask(text, true);
    let clean = this.fields.get(text);
    if (clean === undefined) {
      clean = this.mask(text, true);
      if (this.fields.size >= FIELD_MEMO_SIZE) this.fields.clear();
      this.fields.set(text, clean);
    }
    return clean;
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
    if (shapes || this.secrets.size > 0) out = this.maskTokens(out, shapes);
    for (const secret of this.shortSecrets) {
      if (out.includes(secret)) out = out.split(secret).join(maskSecret(secret));
    }
    return out;
  }

  /** The token pass: the text itself (no copy) when no token is a secret, as is usual. */
  private maskTokens(text: string, shapes: boolean): string {
    CANDIDATE.lastIndex = 0;
    let out = '';
    let from = 0;
    for (let match = CANDIDATE.exec(text); match !== null; match = CANDIDATE.exec(text)) {
      const token = match[0];
      const clean = this.redactToken(token, shapes);
      if (clean === token) continue;
      out += text.slice(from, match.index) + clean;
      from = match.index + token.length;
    }
    return from === 0 ? text : out + text.slice(from);
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
    if (this.separatedSecrets === 0) return this.redactParts(parts, shapes) ?? token;
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

  /**
   * No secret (nor key shape) holds a separator: only a whole segment can be one, so each is
   * checked alone (linear, where runs of segments are quadratic). Undefined when none is.
   */
  private redactParts(parts: string[], shapes: boolean): string | undefined {
    let found = false;
    for (let i = 0; i < parts.length; i += 2) {
      const part = parts[i]!;
      if (part.length >= SHORT && this.isSecret(part, shapes)) {
        parts[i] = maskSecret(part);
        found = true;
      }
    }
    return found ? parts.join('') : undefined;
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
