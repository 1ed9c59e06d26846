import { defineProvider, OPENAI_MARKERS } from './base';
import type { Provider } from './types';

/**
 * Every provider the `provider:` field of an upstream accepts. Each is an OpenAI-compatible base
 * plus what differs; a new one is a few lines here.
 */
export const PROVIDERS = {
  openai: defineProvider({ name: 'openai' }),
  azure: defineProvider({ name: 'azure', authHeader: 'api-key', authValue: (key) => key }),
  anthropic: defineProvider({
    name: 'anthropic',
    authHeader: 'x-api-key',
    authValue: (key) => key,
    defaultHeaders: { 'anthropic-version': '2023-06-01' },
    errorMarkers: [
      { contains: 'authentication_error', verdict: 'invalid_key' },
      { contains: 'permission_error', verdict: 'invalid_key' },
      { contains: 'credit balance is too low', verdict: 'quota_exhausted' },
      { contains: 'overloaded_error', verdict: 'upstream_fault' },
      { contains: 'rate_limit_error', verdict: 'rate_limited' },
    ],
  }),
  gemini: defineProvider({
    name: 'gemini',
    errorMarkers: [
      { contains: 'API_KEY_INVALID', verdict: 'invalid_key' },
      { contains: 'API key not valid', verdict: 'invalid_key' },
      { contains: 'PERMISSION_DENIED', verdict: 'invalid_key' },
      { contains: 'RESOURCE_EXHAUSTED', verdict: 'rate_limited' },
      ...OPENAI_MARKERS,
    ],
  }),
  none: defineProvider({ name: 'none', authHeader: null, errorMarkers: [] }),
} as const satisfies Record<string, Provider>;

export type ProviderName = keyof typeof PROVIDERS;
