import {
  type HeaderMap,
  type HeaderObjectKind,
  isCredentialHeader,
  mapHeaderMaps,
} from '../config/secret-headers';
import type { SecretBox } from './secret-box';

/** How a sealed header value is written in a stored definition: never a valid header value. */
interface SealedValue {
  readonly sealed: string;
}

type Definition = Record<string, unknown>;

/**
 * The definition as it is written to the store: each credential header value (upstream, health
 * check and keep-alive headers; a route's `headers.set`) replaced by `{"sealed": base64}`,
 * encrypted with the store's SecretBox like the keys.
 */
export function sealHeaderValues(box: SecretBox, kind: HeaderObjectKind, definition: Definition): Definition {
  return mapHeaderMaps(kind, definition, (map) => {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(map)) {
      const seal = typeof value === 'string' && isCredentialHeader(name, value);
      out[name] = seal ? ({ sealed: box.encrypt(value).toString('base64') } satisfies SealedValue) : value;
    }
    return out;
  });
}

export interface Unsealed {
  readonly definition: Definition;
  /** A credential value was stored in the clear (by an earlier version): write the row again. */
  readonly hadPlainCredentials: boolean;
}

/** The definition as read from the store, with sealed header values decrypted. */
export function unsealHeaderValues(box: SecretBox, kind: HeaderObjectKind, stored: Definition): Unsealed {
  let hadPlainCredentials = false;
  const definition = mapHeaderMaps(kind, stored, (map: HeaderMap) => {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(map)) {
      if (isSealed(value)) out[name] = box.decrypt(Buffer.from(value.sealed, 'base64'));
      else {
        if (typeof value === 'string' && isCredentialHeader(name, value)) hadPlainCredentials = true;
        out[name] = value;
      }
    }
    return out;
  });
  return { definition, hadPlainCredentials };
}

function isSealed(value: unknown): value is SealedValue {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { sealed?: unknown }).sealed === 'string' &&
    Object.keys(value).length === 1
  );
}
