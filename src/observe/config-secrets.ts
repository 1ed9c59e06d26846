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
  return secrets;
}
