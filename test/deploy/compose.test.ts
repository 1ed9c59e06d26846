import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfigText } from '../../src/config/parse';
import { configSchema } from '../../src/config/schema/index';

interface Service {
  readonly build?: string;
  readonly image: string;
  readonly profiles?: string[];
  readonly volumes?: string[];
  readonly environment?: Record<string, string>;
  readonly stop_grace_period?: string;
  readonly ports?: string[];
  readonly depends_on?: Record<string, { condition: string; required: boolean }>;
  readonly healthcheck?: { test: string[] };
}

const ROOT = join(import.meta.dirname, '..', '..');
const composeText = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');
const compose = parse(composeText) as {
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

  it('passes the scale-out URLs through, empty (the gateway alone) unless they are set', () => {
    expect(gateway!.environment!.SWITCHYARD_STATE_URL).toBe('${SWITCHYARD_STATE_URL:-}');
    expect(gateway!.environment!.SWITCHYARD_STORE_URL).toBe('${SWITCHYARD_STORE_URL:-}');
    const alone = parseConfigText('{}', 'compose', { SWITCHYARD_STATE_URL: '', SWITCHYARD_STORE_URL: '' });
    expect(alone.state.url).toBeUndefined();
    expect(alone.store.url).toBeUndefined();
  });

  it('waits for healthy Redis and PostgreSQL only when the state profile runs them', () => {
    expect(gateway!.depends_on).toEqual({
      redis: { condition: 'service_healthy', required: false },
      postgres: { condition: 'service_healthy', required: false },
    });
    expect(redis!.healthcheck!.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(postgres!.healthcheck!.test[0]).toBe('CMD-SHELL');
  });

  it('documents URLs that reach the state services with their credentials, the same in README and compose.yaml', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const state = 'SWITCHYARD_STATE_URL=redis://redis:6379/0';
    const store = 'SWITCHYARD_STORE_URL=postgres://switchyard:switchyard@postgres:5432/switchyard';
    for (const line of [state, store]) {
      expect(readme).toContain(`\n${line}\n`);
      expect(composeText).toContain(`#   ${line}\n`);
    }
    const env = { SWITCHYARD_STATE_URL: state.split('=')[1], SWITCHYARD_STORE_URL: store.split('=')[1] };
    const config = parseConfigText('{}', 'compose', env);
    const redisUrl = new URL(config.state.url!);
    const pgUrl = new URL(config.store.url!);
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining([redisUrl.hostname, pgUrl.hostname]),
    );
    expect(redisUrl.port).toBe('6379');
    const pg = postgres!.environment!;
    expect([pgUrl.username, pgUrl.password, pgUrl.pathname]).toEqual([
      pg.POSTGRES_USER,
      /^\$\{POSTGRES_PASSWORD:-(.+)\}$/.exec(pg.POSTGRES_PASSWORD!)![1],
      `/${pg.POSTGRES_DB}`,
    ]);
  });
});
