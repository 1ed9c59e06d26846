import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema/index';

interface Service {
  readonly build?: string;
  readonly image: string;
  readonly profiles?: string[];
  readonly volumes?: string[];
  readonly environment?: Record<string, string>;
  readonly stop_grace_period?: string;
  readonly ports?: string[];
}

const compose = parse(readFileSync(join(import.meta.dirname, '..', '..', 'compose.yaml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

describe('compose.yaml', () => {
  const { gateway, redis, postgres } = compose.services;

  it('builds the gateway from the Dockerfile with its data on a named volume', () => {
    expect(gateway!.build).toBe('.');
    expect(gateway!.profiles).toBeUndefined();
    const data = gateway!.volumes!.find((v) => v.endsWith(':/data'))!;
    expect(Object.keys(compose.volumes)).toContain(data.split(':')[0]);
    expect(gateway!.environment!.SWITCHYARD_STORE_PATH).toBe('/data/switchyard.db');
    expect(gateway!.ports!.some((p) => p.endsWith(`:${gateway!.environment!.PORT}`))).toBe(true);
    const grace = Number(/^(\d+)s$/.exec(gateway!.stop_grace_period!)![1]);
    expect(grace * 1000).toBeGreaterThan(configSchema.parse({}).server.shutdown_timeout);
  });

  it('starts Redis and PostgreSQL only with the state profile, on pinned images', () => {
    for (const service of [redis!, postgres!]) expect(service.profiles).toEqual(['state']);
    for (const service of Object.values(compose.services)) {
      expect(service.image).toMatch(/:\d+(\.\d+)*(-[a-z0-9.]+)?$/);
    }
  });
});
