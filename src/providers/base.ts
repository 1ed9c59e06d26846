import { prepareOpenAiCompatible } from './prepare';
import type { ErrorMarker, Provider, ProviderOptions } from './types';

/** OpenAI's own markers; most compatible servers reuse them. */
export const OPENAI_MARKERS: readonly ErrorMarker[] = [
  { contains: 'invalid_api_key', verdict: 'invalid_key' },
  { contains: 'account_deactivated', verdict: 'invalid_key' },
  { contains: 'insufficient_quota', verdict: 'quota_exhausted' },
  { contains: 'billing_not_active', verdict: 'quota_exhausted' },
  { contains: 'billing_hard_limit_reached', verdict: 'quota_exhausted' },
];

const bearer = (key: string): string => `Bearer ${key}`;

/** An OpenAI-compatible provider: Bearer auth and OpenAI's error markers unless overridden. */
export function defineProvider(options: ProviderOptions): Provider {
  return {
    name: options.name,
    authHeader: options.authHeader === undefined ? 'authorization' : options.authHeader,
    authValue: options.authValue ?? bearer,
    errorMarkers: options.errorMarkers ?? OPENAI_MARKERS,
    defaultHeaders: options.defaultHeaders ?? {},
    prepare: options.prepare ?? prepareOpenAiCompatible,
  };
}
