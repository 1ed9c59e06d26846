import type { RunningGateway } from '../adapter/node/start';

/** Says at start what is being served, and loudly when anyone may call the gateway. */
export function describeStartup(running: RunningGateway, configPath: string | null): void {
  const { gateway, logger, url } = running;
  const { config } = gateway.runtime;
  const keys = config.upstreams.reduce((sum, u) => sum + u.keys.length, 0);
  logger.info(
    {
      url,
      config: configPath ?? 'quick mode (environment)',
      upstreams: config.upstreams.length,
      keys,
      routes: gateway.runtime.routes.length,
      admin: running.control.adminUrl,
    },
    `switchyard listening on ${url}`,
  );
  warnAtStartup(running);
}

/** The warnings of the start banner: nothing to serve, or anyone may call the gateway. */
export function warnAtStartup(running: RunningGateway): void {
  const { gateway, logger } = running;
  const { config } = gateway.runtime;
  if (config.upstreams.length === 0) {
    logger.warn(
      'no upstream configured: API calls get 503. Set SWITCHYARD_UPSTREAM_URL and SWITCHYARD_KEYS, or write switchyard.yaml (see README)',
    );
  }
  if (gateway.access.open) {
    logger.warn(
      'OPEN GATEWAY: no server.auth_keys and no client tokens are configured, so anyone who can reach this port can use your upstream keys' +
        (config.ip_limit ? '' : ' (set ip_limit to cap what each address may send)'),
    );
  }
}
