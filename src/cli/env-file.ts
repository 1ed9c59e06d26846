import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyDotenv, parseDotenv } from '../config/dotenv';
import { ConfigError } from '../config/errors';

export interface EnvFileResult {
  /** The arguments without `--env-file FILE`. */
  readonly args: string[];
  /** The file read, if any. */
  readonly file: string | null;
  /** Variables the file set (those not already in the environment). */
  readonly set: string[];
}

/**
 * Reads `--env-file FILE` (any position, also `--env-file=FILE`), else `./.env` when it exists,
 * into `env` before the configuration is interpolated. A variable already set is never
 * overridden. A named file that cannot be read, or a malformed line, is an error.
 */
export function loadEnvFile(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  cwd: string,
): EnvFileResult {
  const args: string[] = [];
  let explicit: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--env-file') {
      explicit = argv[++i];
      if (explicit === undefined) throw new ConfigError('command line', ['--env-file needs a file name']);
    } else if (arg.startsWith('--env-file=')) explicit = arg.slice('--env-file='.length);
    else args.push(arg);
  }
  const file = explicit !== undefined ? resolve(cwd, explicit) : resolve(cwd, '.env');
  if (explicit === undefined && !existsSync(file)) return { args, file: null, set: [] };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read the environment file: ${(err as Error).message}`]);
  }
  const { values, badLines } = parseDotenv(text);
  if (badLines.length > 0) {
    throw new ConfigError(
      file,
      badLines.map((n) => `line ${n}: not NAME=value`),
    );
  }
  return { args, file, set: applyDotenv(values, env) };
}
