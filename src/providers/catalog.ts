import { defineProvider } from './base';
import { ANTHROPIC_MARKERS, GEMINI_MARKERS } from './markers';
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
    errorMarkers: ANTHROPIC_MARKERS,
  }),
  gemini: defineProvider({
    name: 'gemini',
    errorMarkers: GEMINI_MARKERS,
  }),
  none: defineProvider({ name: 'none', authHeader: null, errorMarkers: [] }),
} as const satisfies Record<string, Provider>;

export type ProviderName = keyof typeof PROVIDERS;
