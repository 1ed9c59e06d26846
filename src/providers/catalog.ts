import type { WireFormat } from '../config/schema/upstream';
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

/** Gemini's native API (`format: gemini`): the key in `x-goog-api-key`, Gemini's error markers. */
const GEMINI_NATIVE = defineProvider({
  name: 'gemini',
  authHeader: 'x-goog-api-key',
  authValue: (key) => key,
  errorMarkers: GEMINI_MARKERS,
});

/**
 * The provider an upstream is spoken to with: its `provider`, except that an upstream speaking
 * Gemini's native format takes its key in `x-goog-api-key` (`provider: none`: still no key).
 */
export function providerFor(name: ProviderName, format: WireFormat): Provider {
  return format === 'gemini' && name !== 'none' ? GEMINI_NATIVE : PROVIDERS[name];
}
