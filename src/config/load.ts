import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, describeIssues } from './errors';
import { type InterpolationIssue, interpolateEnv } from './interpolate';
import { parseKeyList } from './key-list';
import { quickModeInput } from './quick-mode';
import { type Config, configSchema } from './schema/index';

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadedConfig {
  readonly config: Config;
  /** The file the config came from, or null in quick mode. */
  readonly path: string | null;
}

/** Where the config comes from: `--config`, `SWITCHYARD_CONFIG`, `./switchyard.yaml`, else quick mode. */
export function resolveConfigPath(flag: string | undefined, env: Env, cwd: string): string | null {
  const explicit = flag ?? env.SWITCHYARD_CONFIG;
  if (explicit) return resolve(cwd, explicit);
  const local = resolve(cwd, 'switchyard.yaml');
  return existsSync(local) ? local : null;
}

export function loadConfig(path: string | null, env: Env): LoadedConfig {
  if (path === null)
    return { config: validateConfigInput(quickModeInput(env), 'environment (quick mode)', env), path };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read file: ${(err as Error).message}`]);
  }
  return { config: parseConfigText(text, path, env), path };
}

/** Parses YAML text, interpolates `${ENV}`, validates, loads `keys_file`s relative to the file. */
export function parseConfigText(text: string, source: string, env: Env): Config {
  return validateConfigInput(parseConfigInput(text, source, env), source, env, dirname(source));
}

/** YAML text to the raw configuration input, with `${ENV}` interpolated; not yet validated. */
export function parseConfigInput(text: string, source: string, env: Env): unknown {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(source, [`YAML syntax: ${(err as Error).message.split('\n')[0]}`]);
  }
  const issues: InterpolationIssue[] = [];
  const interpolated = interpolateEnv(raw, env, issues);
  if (issues.length > 0) {
    throw new ConfigError(
      source,
      issues.map(
        (i) => `${i.path}: environment variable ${i.variable} is not set (use \${${i.variable}:-default})`,
      ),
    );
  }
  return interpolated;
}

/**
 * Validates a raw input with the schema, then reads `keys_file`s (relative to `baseDir`) and applies
 * `PORT`/`HOST` and the `SWITCHYARD_STORE_PATH` default.
 */
export function validateConfigInput(
  input: unknown,
  source: string,
  env: Env,
  baseDir = process.cwd(),
): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigError(source, describeIssues(result.error));
  const config = result.data;
  const problems: string[] = [];
  config.upstreams.forEach((upstream, index) => {
    if (!upstream.keys_file) return;
    const file = isAbsolute(upstream.keys_file) ? upstream.keys_file : resolve(baseDir, upstream.keys_file);
    try {
      upstream.keys = dedupe([...upstream.keys, ...parseKeyList(readFileSync(file, 'utf8'))]);
    } catch (err) {
      problems.push(`upstreams[${index}].keys_file: cannot read ${file}: ${(err as Error).message}`);
    }
  });
  if (problems.length > 0) throw new ConfigError(source, problems);
  applyListenOverrides(config, env);
  if (env.SWITCHYARD_STORE_PATH && !setsStorePath(input)) config.store.path = env.SWITCHYARD_STORE_PATH;
  return config;
}

/** Whether the input names `store.path` (the file wins over `SWITCHYARD_STORE_PATH`, which is a default). */
function setsStorePath(input: unknown): boolean {
  const store = (input as { store?: unknown } | null)?.store;
  return store !== null && typeof store === 'object' && (store as { path?: unknown }).path !== undefined;
}

/** `PORT` and `HOST` override the file, as platforms such as Render and Fly expect. */
function applyListenOverrides(config: Config, env: Env): void {
  if (env.PORT) {
    const port = Number(env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ConfigError('environment', [`PORT: "${env.PORT}" is not a port number`]);
    }
    config.server.port = port;
  }
  if (env.HOST) config.server.host = env.HOST;
}

function dedupe(keys: string[]): string[] {
  return [...new Set(keys)];
}
