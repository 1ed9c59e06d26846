/**
 * `${VAR}` and `${VAR:-default}` substitution in every string of a parsed YAML document.
 * An unset variable without a default is an error that names the field and the variable.
 */
const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface InterpolationIssue {
  readonly path: string;
  readonly variable: string;
}

export function interpolateEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  issues: InterpolationIssue[],
  path = '',
): unknown {
  if (typeof value === 'string') return interpolateString(value, env, issues, path);
  if (Array.isArray(value)) return value.map((item, i) => interpolateEnv(item, env, issues, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = interpolateEnv(item, env, issues, path ? `${path}.${key}` : key);
    }
    return out;
  }
  return value;
}

function interpolateString(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  issues: InterpolationIssue[],
  path: string,
): string {
  return text.replace(PATTERN, (_match, name: string, fallback: string | undefined) => {
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    issues.push({ path, variable: name });
    return '';
  });
}
