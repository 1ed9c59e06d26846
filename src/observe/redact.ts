import { maskSecret } from './mask';

/** Token-like runs of characters; each is checked against the known secrets and key patterns. */
const CANDIDATE = /[A-Za-z0-9_\-.~+/]{12,}=*/g;
/** Shapes of well-known API keys, masked even when the gateway does not know the key. */
const KEY_SHAPE = /^(?:sk-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,}|xai-[A-Za-z0-9]{20,})$/;
const SHORT = 12;

/**
 * Masks secrets in text: every secret registered with `add` and anything shaped like a
 * provider key. Used by the logger on every line and on upstream error messages.
 * Long secrets are found with one regex pass and a set lookup, so the cost does not grow
 * with the number of keys; the rare short secret is searched for directly.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly shortSecrets = new Set<string>();

  add(secret: string): void {
    if (secret.length < 4) return;
    (secret.length < SHORT ? this.shortSecrets : this.secrets).add(secret);
  }

  replaceAll(secrets: Iterable<string>): void {
    this.secrets.clear();
    this.shortSecrets.clear();
    for (const secret of secrets) this.add(secret);
  }

  redact(text: string): string {
    let out = text.replace(CANDIDATE, (match) =>
      this.secrets.has(match) || KEY_SHAPE.test(match) ? maskSecret(match) : match,
    );
    for (const secret of this.shortSecrets) {
      if (out.includes(secret)) out = out.split(secret).join(maskSecret(secret));
    }
    return out;
  }
}
