import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from './errors';
import { type Env, parseConfigInput } from './load';

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
  /** Folder that relative `keys_file`s are resolved against. */
  readonly baseDir: string;
  /** The raw input (interpolated, not validated). Throws ConfigError naming the problem. */
  read(): Record<string, unknown>;
  /** Files whose change should reload the configuration (the file and its `keys_file`s). */
  watchedFiles(input: Record<string, unknown>): string[];
}

export function fileSource(path: string, env: Env): ConfigSource {
  const baseDir = dirname(path);
  return {
    path,
    name: path,
    env,
    baseDir,
    read() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        throw new ConfigError(path, [`cannot read file: ${(err as Error).message}`]);
      }
      return asObject(parseConfigInput(text, path, env), path);
    },
    watchedFiles(input) {
      return [path, ...keysFiles(input).map((file) => (isAbsolute(file) ? file : resolve(baseDir, file)))];
    },
  };
}

/** An input given once: quick mode from the environment, or a test's config object. */
export function inlineSource(
  input: unknown,
  name: string,
  env: Env = {},
  baseDir = process.cwd(),
): ConfigSource {
  const fixed = asObject(input, name);
  return {
    path: null,
    name,
    env,
    baseDir,
    read: () => structuredClone(fixed),
    watchedFiles: () => [],
  };
}

function asObject(input: unknown, source: string): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(source, ['(root): must be a mapping of fields']);
  }
  return input as Record<string, unknown>;
}

function keysFiles(input: Record<string, unknown>): string[] {
  const upstreams = Array.isArray(input.upstreams) ? input.upstreams : [];
  const files: string[] = [];
  for (const upstream of upstreams) {
    const file = (upstream as { keys_file?: unknown } | null)?.keys_file;
    if (typeof file === 'string' && file) files.push(file);
  }
  return files;
}
