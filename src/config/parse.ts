import { parse as parseYaml } from 'yaml';
import { ConfigError, describeIssues } from './errors';
import { type InterpolationIssue, interpolateEnv } from './interpolate';
import { parseKeyList } from './key-list';
import { type Config, configSchema } from './schema/index';
import { workersSchema } from './schema/server';
import { stateSchema } from './schema/state';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads a `keys_file` named in the configuration (the Node adapter resolves it against the
 * configuration file's folder); runtimes without files pass none.
 */
export type KeysFileReader = (file: string) => string;

/** Parses YAML text, interpolates `${ENV}`, validates, and loads `keys_file`s with the reader. */
export function parseConfigText(
  text: string,
  source: string,
  env: Env,
  readKeysFile?: KeysFileReader,
): Config {
  return validateConfigInput(parseConfigInput(text, source, env), source, env, readKeysFile);
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
 * Validates a raw input with the schema, then reads `keys_file`s (with the reader) and applies
 * `PORT`/`HOST` and the `SWITCHYARD_STORE_PATH` default.
 */
export function validateConfigInput(
  input: unknown,
  source: string,
  env: Env,
  readKeysFile?: KeysFileReader,
): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigError(source, describeIssues(result.error));
  const config = result.data;
  const problems: string[] = [];
  config.upstreams.forEach((upstream, index) => {
    const file = upstream.keys_file;
    if (!file) return;
    if (!readKeysFile) {
      problems.push(`upstreams[${index}].keys_file: this runtime reads no files; list the keys in "keys"`);
      return;
    }
    try {
      upstream.keys = dedupe([...upstream.keys, ...parseKeyList(readKeysFile(file))]);
    } catch (err) {
      problems.push(`upstreams[${index}].keys_file: cannot read ${file}: ${(err as Error).message}`);
    }
  });
  if (problems.length > 0) throw new ConfigError(source, problems);
  applyListenOverrides(config, env);
  if (env.SWITCHYARD_STORE_PATH && !setsStore(input, 'path')) config.store.path = env.SWITCHYARD_STORE_PATH;
  applyStoreUrl(config, env, input);
  applyStateUrl(config, input, env);
  applyWorkers(config, input, env, source);
  return config;
}

/**
 * `SWITCHYARD_WORKERS` is `server.workers` when the file does not set it. Several workers share
 * one store, so an in-memory store (one per process) is refused with them.
 */
function applyWorkers(config: Config, input: unknown, env: Env, source: string): void {
  const given = env.SWITCHYARD_WORKERS?.trim();
  const server = (input as { server?: { workers?: unknown } } | null)?.server;
  const setInFile = server !== null && typeof server === 'object' && server.workers !== undefined;
  if (given && !setInFile) {
    const parsed = workersSchema.safeParse(given === 'auto' ? given : Number(given));
    if (!parsed.success) {
      throw new ConfigError('environment', [
        `SWITCHYARD_WORKERS: "${given}" must be "auto" (one per core) or a whole number from 1 to 256`,
      ]);
    }
    config.server.workers = parsed.data;
  }
  if (config.server.workers !== 1 && config.store.path === ':memory:' && !config.store.url) {
    throw new ConfigError(source, [
      'server.workers: several workers share one store; store.path ":memory:" is private to each process (use a file or store.url)',
    ]);
  }
}

/** `SWITCHYARD_STORE_URL` is `store.url` when the file does not set it (a default, like the path). */
function applyStoreUrl(config: Config, env: Env, input: unknown): void {
  const url = env.SWITCHYARD_STORE_URL;
  if (!url || setsStore(input, 'url')) return;
  if (!/^postgres(?:ql)?:\/\/\S+$/.test(url)) {
    throw new ConfigError('environment', [
      'SWITCHYARD_STORE_URL: must be a postgres:// (or postgresql://) URL',
    ]);
  }
  config.store.url = url;
}

/** Whether the input names `store.<field>` (the file wins over the environment's defaults). */
function setsStore(input: unknown, field: 'path' | 'url'): boolean {
  const store = (input as { store?: unknown } | null)?.store;
  return (
    store !== null && typeof store === 'object' && (store as Record<string, unknown>)[field] !== undefined
  );
}

/** `SWITCHYARD_STATE_URL` is `state.url` when the file does not set it (a default, like the store path). */
function applyStateUrl(config: Config, input: unknown, env: Env): void {
  const url = env.SWITCHYARD_STATE_URL;
  const state = (input as { state?: { url?: unknown } } | null)?.state;
  if (!url || (state !== null && typeof state === 'object' && state.url !== undefined)) return;
  const parsed = stateSchema.shape.url.safeParse(url);
  if (!parsed.success) {
    throw new ConfigError('environment', [
      'SWITCHYARD_STATE_URL: must be a redis:// or rediss:// URL (redis://[user:password@]host[:port][/db])',
    ]);
  }
  config.state.url = url;
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
