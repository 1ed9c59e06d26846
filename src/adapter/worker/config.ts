import { ConfigError } from '../../config/errors';
import { parseConfigText } from '../../config/parse';
import type { Config } from '../../config/schema/index';

/** Where a Worker's configuration lives: the YAML text of this variable (same schema as the file). */
export const CONFIG_VARIABLE = 'SWITCHYARD_CONFIG';

export type WorkerEnv = Readonly<Record<string, unknown>>;

/**
 * The Worker's configuration from the YAML text in `SWITCHYARD_CONFIG`, `${VAR}` resolved from the
 * Worker's variables and secrets (string bindings only). Throws a ConfigError naming every field
 * at fault (the same parser as the file's). A Worker has no files: `keys_file` is refused (list
 * the keys, or `${SECRET}` them).
 */
export function workerConfig(text: string | undefined, env: WorkerEnv): Config {
  if (text === undefined || text.trim() === '') {
    throw new ConfigError(CONFIG_VARIABLE, [
      `${CONFIG_VARIABLE}: the variable is not set (the YAML configuration)`,
    ]);
  }
  return parseConfigText(text, CONFIG_VARIABLE, stringVariables(env));
}

/** The Worker's text variables and secrets (bindings such as D1 are objects and are skipped). */
export function stringVariables(env: WorkerEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in env) {
    const value = env[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
