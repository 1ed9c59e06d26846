import { OPENAI_MARKERS } from './markers';
import { prepareByFormat } from './prepare';
import type { Provider, ProviderOptions } from './types';

const bearer = (key: string): string => `Bearer ${key}`;

/** An OpenAI-compatible provider: Bearer auth and OpenAI's error markers unless overridden. */
export function defineProvider(options: ProviderOptions): Provider {
  return {
    name: options.name,
    authHeader: options.authHeader === undefined ? 'authorization' : options.authHeader,
    authValue: options.authValue ?? bearer,
    errorMarkers: options.errorMarkers ?? OPENAI_MARKERS,
    defaultHeaders: options.defaultHeaders ?? {},
    prepare: options.prepare ?? prepareByFormat,
  };
}
