import type { ReloadResult } from '../config/manager';
import type { Config } from '../config/schema/index';
import { maskSecret } from '../observe/mask';
import type { ConfigService } from './config-service';
import { maskUrl, presentRouteConfig, presentUpstreamConfig } from './present';
import type { AdminRouter } from './router';
import { invalid } from './validate';

const TAG = 'Configuration';

export function registerConfigRoutes(
  router: AdminRouter,
  service: ConfigService,
  reload: (reason: string) => ReloadResult,
): void {
  router.add('GET', '/admin/config', () => ({ body: effectiveConfig(service) }), {
    summary: 'The running configuration (file and API merged), secrets masked',
    tag: TAG,
  });
  router.add(
    'POST',
    '/admin/config/reload',
    () => {
      const result = reload('admin API');
      if (!result.applied) throw invalid(result.problems, null);
      return { body: { applied: true, source: service.manager.configSource.name } };
    },
    {
      summary:
        'Read the configuration file again and apply it (as SIGHUP does); 400 with the problems when invalid',
      tag: TAG,
    },
  );
}

function effectiveConfig(service: ConfigService): Record<string, unknown> {
  const config: Config = service.config;
  const { shadowed } = service.manager.merged;
  return {
    source: service.manager.configSource.name,
    server: { ...config.server, auth_keys: config.server.auth_keys.map(maskSecret) },
    admin: { ...config.admin, key: config.admin.key ? maskSecret(config.admin.key) : undefined },
    store: { ...config.store, url: config.store.url ? maskUrl(config.store.url) : undefined },
    state: { ...config.state, url: config.state.url ? maskUrl(config.state.url) : undefined },
    upstreams: config.upstreams.map((u) => ({ ...presentUpstreamConfig(u), keys: u.keys.length })),
    routes: config.routes?.map(presentRouteConfig) ?? null,
    shadowed_api_objects: shadowed,
  };
}
