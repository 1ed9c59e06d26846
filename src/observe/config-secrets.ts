import type { Config } from '../config/schema/index';
import { credentialHeaderValues } from '../config/secret-headers';

/**
 * Every secret a configuration holds, for the redactor: client keys, the admin key, upstream
 * keys, named clients' keys, and credential header values (upstream, health check, keep-alive
 * and route headers).
 */
export function configSecrets(config: Config): string[] {
  const secrets = [...config.server.auth_keys];
  if (config.admin.key) secrets.push(config.admin.key);
  for (const upstream of config.upstreams) secrets.push(...upstream.keys);
  for (const client of config.clients) secrets.push(client.key);
  secrets.push(...credentialHeaderValues(config));
  return secrets;
}
