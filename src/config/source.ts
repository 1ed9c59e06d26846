import { ConfigError } from './errors';
import type { Env, KeysFileReader } from './parse';

/**
 * Where the base configuration comes from: the YAML file (read again on every reload) or an
 * input given once (quick mode, tests). The admin API's objects are merged on top of it.
 */
export interface ConfigSource {
  /** The file, or null when the input was given inline. */
  readonly path: string | null;
  /** A name for messages: the file path or "environment (quick mode)". */
  readonly name: string;
  readonly env: Env;
  /** Reads the `keys_file`s the input names (none on runtimes without files). */
  readonly readKeysFile?: KeysFileReader;
  /** The raw input (interpolated, not validated). Throws ConfigError naming the problem. */
  read(): Record<string, unknown>;
  /** Files whose change should reload the configuration (the file and its `keys_file`s). */
  watchedFiles(input: Record<string, unknown>): string[];
}

/** An input given once: quick mode from the environment, or a test's config object. */
export function inlineSource(
  input: unknown,
  name: string,
  env: Env = {},
  readKeysFile?: KeysFileReader,
): ConfigSource {
  const fixed = configObject(input, name);
  return {
    path: null,
    name,
    env,
    readKeysFile,
    read: () => structuredClone(fixed),
    watchedFiles: () => [],
  };
}

/** The input as a mapping; a ConfigError when it is anything else. */
export function configObject(input: unknown, source: string): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(source, ['(root): must be a mapping of fields']);
  }
  return input as Record<string, unknown>;
}

/** The `keys_file`s an input names. */
export function keysFiles(input: Record<string, unknown>): string[] {
  const upstreams = Array.isArray(input.upstreams) ? input.upstreams : [];
  const files: string[] = [];
  for (const upstream of upstreams) {
    const file = (upstream as { keys_file?: unknown } | null)?.keys_file;
    if (typeof file === 'string' && file) files.push(file);
  }
  return files;
}
