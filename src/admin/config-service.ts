import { ConfigError } from '../config/errors';
import type { ConfigManager, ConfigTarget } from '../config/manager';
import type { ApiObjects } from '../config/merge';
import type { Config } from '../config/schema/index';
import type { Logger } from '../observe/logger';
import type { ConfigRepository } from '../store/types';
import { configRejected } from './validate';

export type ApiUpstreamObject = ApiObjects['upstreams'][number];
export type ApiRouteObject = ApiObjects['routes'][number];

/**
 * Every configuration write of the admin API goes through `change`: build the configuration the
 * write would give, validate it with the config schema (a 400 naming the field when it fails),
 * then write the store (each write is one repository call, atomic however many tables it
 * touches: `createUpstream` stores an upstream with its keys) and swap the running configuration. Nothing is written when it is invalid.
 */
export class ConfigService {
  constructor(
    readonly store: ConfigRepository,
    readonly manager: ConfigManager,
    private readonly target: ConfigTarget,
    private readonly logger: Logger,
  ) {}

  get config(): Config {
    return this.manager.config;
  }

  /** The API's objects as they are now. */
  objects(): ApiObjects {
    return storeObjects(this.store);
  }

  async change(
    action: string,
    details: Record<string, unknown>,
    candidate: ApiObjects,
    write: () => Promise<unknown>,
  ): Promise<void> {
    let built: ReturnType<ConfigManager['preview']>;
    try {
      built = this.manager.preview(candidate);
    } catch (err) {
      if (err instanceof ConfigError) throw configRejected(err);
      throw err;
    }
    await write();
    this.manager.commit(built, `admin API: ${action}`, this.target);
    this.logger.info({ admin_action: action, ...details }, `admin: ${action}`);
  }
}

/** The store's objects as the configuration merge takes them: only enabled keys. */
export function storeObjects(store: ConfigRepository): ApiObjects {
  return {
    upstreams: store.upstreams().map((u) => ({
      name: u.name,
      definition: u.definition,
      keys: u.keys.filter((k) => k.enabled).map((k) => k.secret),
    })),
    routes: store.routes().map((r) => ({ name: r.name, definition: r.definition })),
    settings: new Map(store.settings().map((s) => [s.name, s.value])),
  };
}

export function replaceUpstream(api: ApiObjects, next: ApiUpstreamObject): ApiObjects {
  const upstreams = api.upstreams.filter((u) => u.name !== next.name);
  const index = api.upstreams.findIndex((u) => u.name === next.name);
  upstreams.splice(index === -1 ? upstreams.length : index, 0, next);
  return { ...api, upstreams };
}

export function removeUpstream(api: ApiObjects, name: string): ApiObjects {
  return { ...api, upstreams: api.upstreams.filter((u) => u.name !== name) };
}

export function replaceRoute(api: ApiObjects, next: ApiRouteObject): ApiObjects {
  const routes = api.routes.filter((r) => r.name !== next.name);
  const index = api.routes.findIndex((r) => r.name === next.name);
  routes.splice(index === -1 ? routes.length : index, 0, next);
  return { ...api, routes };
}

export function removeRoute(api: ApiObjects, name: string): ApiObjects {
  return { ...api, routes: api.routes.filter((r) => r.name !== name) };
}

export function withSetting(api: ApiObjects, name: string, value: unknown): ApiObjects {
  const settings = new Map(api.settings);
  if (value === undefined) settings.delete(name);
  else settings.set(name, value);
  return { ...api, settings };
}
