import type { Config } from '../config/schema/index';
import { stateUrlSecrets } from '../config/schema/state';
import { credentialHeaderValues } from '../config/secret-headers';

/**
 * Every secret a configuration holds, for the redactor: client keys, the admin key, upstream
 * keys, named clients' keys, and credential header values (upstream, health check, keep-alive
 * and route headers), and the credentials in `state.url`.
 */
export function configSecrets(config: Config): string[] {
  const secrets = [...config.server.auth_keys];
  if (config.admin.key) secrets.push(config.admin.key);
  for (const upstream of config.upstreams) secrets.push(...upstream.keys);
  for (const client of config.clients) secrets.push(client.key);
  secrets.push(...credentialHeaderValues(config));
  secrets.push(...stateUrlSecrets(config.state.url));
  secrets.push(...urlCredentials(config.store.url));
  return secrets;
}

/**
 * The password of a database URL (`postgres://user:password@host/db`), as written and decoded,
 * so neither form appears in a log line or an error message.
 */
export function urlCredentials(url: string | undefined): string[] {
  if (!url) return [];
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^:@/]*:([^@/]+)@/i.exec(url);
  if (!match) return [];
  const raw = match[1]!;
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    decoded = raw;
  }
  return decoded === raw ? [raw] : [raw, decoded];
}
