import type { UpstreamKey } from '../routing/key-pool';
import type { Provider } from './types';

/** Each key's auth header value, made once per key and provider (`Bearer sk-…`), not per request. */
const values = new WeakMap<UpstreamKey, { readonly provider: Provider; readonly value: string }>();

/** What the provider sends the key as, remembered with the key (gone when the key's pool is). */
export function authValueFor(provider: Provider, key: UpstreamKey): string {
  const known = values.get(key);
  if (known?.provider === provider) return known.value;
  const value = provider.authValue(key.secret);
  values.set(key, { provider, value });
  return value;
}
