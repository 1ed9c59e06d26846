import { parse as parseYaml } from 'yaml';
import { ConfigError, describeIssues } from '../../config/errors';
import { type InterpolationIssue, interpolateEnv } from '../../config/interpolate';
import { type Config, configSchema } from '../../config/schema/index';

/** Where a Worker's configuration lives: the YAML text of this variable (same schema as the file). */
export const CONFIG_VARIABLE = 'SWITCHYARD_CONFIG';

export type WorkerEnv = Readonly<Record<string, unknown>>;

/**
 * The Worker's configuration from the YAML text in `SWITCHYARD_CONFIG`, `${VAR}` resolved from the
 * Worker's variables and secrets (string bindings only). Throws a ConfigError naming every field
 * at fault. A Worker has no files: `keys_file` is refused (list the keys, or `${SECRET}` them).
 */
export function workerConfig(text: string | undefined, env: WorkerEnv): Config {
  if (text === undefined || text.trim() === '') {
    throw new ConfigError(CONFIG_VARIABLE, [
      `${CONFIG_VARIABLE}: the variable is not set (the YAML configuration)`,
    ]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(CONFIG_VARIABLE, [`YAML syntax: ${(err as Error).message.split('\n')[0]}`]);
  }
  const issues: InterpolationIssue[] = [];
  const input = interpolateEnv(raw, stringVariables(env), issues);
  if (issues.length > 0) {
    throw new ConfigError(
      CONFIG_VARIABLE,
      issues.map(
        (i) => `${i.path}: variable or secret ${i.variable} is not set (use \${${i.variable}:-default})`,
      ),
    );
  }
  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigError(CONFIG_VARIABLE, describeIssues(result.error));
  const problems: string[] = [];
  result.data.upstreams.forEach((upstream, index) => {
    if (upstream.keys_file)
      problems.push(`upstreams[${index}].keys_file: a Worker has no files; list the keys in keys`);
  });
  if (problems.length > 0) throw new ConfigError(CONFIG_VARIABLE, problems);
  return result.data;
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
