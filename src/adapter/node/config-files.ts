import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../config/errors';
import {
  type Env,
  type KeysFileReader,
  parseConfigInput,
  parseConfigText,
  validateConfigInput,
} from '../../config/parse';
import { quickModeInput } from '../../config/quick-mode';
import type { Config } from '../../config/schema/index';
import { type ConfigSource, configObject, inlineSource, keysFiles } from '../../config/source';

/** Configuration from files on Node: the YAML file, its `keys_file`s, quick mode's key file. */

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
  if (path === null) {
    const input = quickModeInput(env, readUtf8);
    return {
      config: validateConfigInput(input, 'environment (quick mode)', env, keysFileReader(process.cwd())),
      path,
    };
  }
  return { config: parseConfigText(readConfigFile(path), path, env, keysFileReader(dirname(path))), path };
}

/** Reads `keys_file`s relative to `baseDir` (the configuration file's folder). */
export function keysFileReader(baseDir: string): KeysFileReader {
  return (file) => readUtf8(isAbsolute(file) ? file : resolve(baseDir, file));
}

/** Quick mode's input from the environment (the key file read once). */
export function quickModeSource(env: Env): ConfigSource {
  const input = quickModeInput(env, readUtf8);
  return inlineSource(input, 'environment (quick mode)', env, keysFileReader(process.cwd()));
}

/** The YAML file as the base configuration, read again on every reload. */
export function fileSource(path: string, env: Env): ConfigSource {
  const baseDir = dirname(path);
  const readKeysFile = keysFileReader(baseDir);
  return {
    path,
    name: path,
    env,
    readKeysFile,
    read: () => configObject(parseConfigInputFromFile(path, env), path),
    watchedFiles(input) {
      return [path, ...keysFiles(input).map((file) => (isAbsolute(file) ? file : resolve(baseDir, file)))];
    },
  };
}

function parseConfigInputFromFile(path: string, env: Env): unknown {
  return parseConfigInput(readConfigFile(path), path, env);
}

function readConfigFile(path: string): string {
  try {
    return readUtf8(path);
  } catch (err) {
    throw new ConfigError(path, [`cannot read file: ${(err as Error).message}`]);
  }
}

function readUtf8(path: string): string {
  return readFileSync(path, 'utf8');
}
