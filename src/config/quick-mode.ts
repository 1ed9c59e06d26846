import { ConfigError } from './errors';
import { parseKeyList } from './key-list';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The no-file mode gpt-load users know: one upstream from environment variables.
 * With neither keys nor an explicit URL, no upstream is configured and API calls get a 503.
 */
export function quickModeInput(env: Env, readFile?: (path: string) => string): Record<string, unknown> {
  const keys = env.SWITCHYARD_KEYS ? parseKeyList(env.SWITCHYARD_KEYS) : [];
  if (env.SWITCHYARD_KEYS_FILE) {
    try {
      if (!readFile) throw new Error('this runtime reads no files');
      keys.push(...parseKeyList(readFile(env.SWITCHYARD_KEYS_FILE)));
    } catch (err) {
      throw new ConfigError('environment', [
        `SWITCHYARD_KEYS_FILE: cannot read ${env.SWITCHYARD_KEYS_FILE}: ${(err as Error).message}`,
      ]);
    }
  }
  const server: Record<string, unknown> = {};
  if (env.SWITCHYARD_AUTH_KEY) server.auth_keys = parseKeyList(env.SWITCHYARD_AUTH_KEY);
  const input: Record<string, unknown> = { server };
  if (env.SWITCHYARD_ADMIN_KEY) input.admin = { key: env.SWITCHYARD_ADMIN_KEY };
  if (keys.length > 0 || env.SWITCHYARD_UPSTREAM_URL) {
    input.upstreams = [
      {
        name: 'default',
        url: env.SWITCHYARD_UPSTREAM_URL ?? 'https://api.openai.com',
        keys: [...new Set(keys)],
      },
    ];
  }
  return input;
}
