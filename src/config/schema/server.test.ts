import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { parseConfigText } from '../parse';
import { isSetting } from '../settings';

function problemsOf(text: string): readonly string[] {
  try {
    parseConfigText(text, 'test.yaml', {});
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('server client limits in the configuration', () => {
  it('defaults to the documented values', () => {
    const config = parseConfigText('upstreams: [{ name: a, url: "https://a.example" }]', 'test.yaml', {});
    expect(config.server.timeouts).toEqual({
      headers: 15_000,
      body_idle: 30_000,
      body: 60_000,
      keep_alive: 65_000,
    });
    expect(config.server).toMatchObject({
      max_connections: 20_000,
      max_connections_per_ip: 0,
      forward_cookies: false,
    });
    expect(config.admin.max_auth_failures).toBe(10);
  });

  it('takes durations and names each bad field', () => {
    const config = parseConfigText(
      'server: { timeouts: { headers: 10s, body: 2m } }\nupstreams: [{ name: a, url: "https://a.example" }]',
      'test.yaml',
      {},
    );
    expect(config.server.timeouts).toEqual({
      headers: 10_000,
      body_idle: 30_000,
      body: 120_000,
      keep_alive: 65_000,
    });
    const problems = problemsOf(
      `
server:
  timeouts: { headers: soon, body_idle: 0, idle: 5s }
  max_connections: -1
  max_connections_per_ip: 2.5
admin: { max_auth_failures: many }
upstreams: [{ name: a, url: "https://a.example" }]
`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^server\.timeouts\.headers: "soon" is not a duration/),
        'server.timeouts.body_idle: must be more than 0 (a duration such as 15s)',
        'server.timeouts: unknown field "idle"',
        'server.max_connections: must be 0 (no cap) or more',
        'server.max_connections_per_ip: must be a whole number of connections (0: no cap)',
        'admin.max_auth_failures: must be a whole number of failed attempts per minute (0: no limit)',
      ]),
    );
  });
});

describe('server.workers', () => {
  const upstreams = 'upstreams: [{ name: a, url: "https://a.example" }]';

  it('defaults to 1 and takes a number or "auto"', () => {
    expect(parseConfigText(upstreams, 'test.yaml', {}).server.workers).toBe(1);
    expect(parseConfigText(`server: { workers: 4 }\n${upstreams}`, 'test.yaml', {}).server.workers).toBe(4);
    expect(parseConfigText(`server: { workers: auto }\n${upstreams}`, 'test.yaml', {}).server.workers).toBe(
      'auto',
    );
  });

  it('refuses anything else with the field named', () => {
    const message =
      'server.workers: must be "auto" (one per core) or a whole number of worker processes from 1 to 256';
    expect(problemsOf('server: { workers: 0 }')).toEqual([message]);
    expect(problemsOf('server: { workers: 2.5 }')).toEqual([message]);
    expect(problemsOf('server: { workers: many }')).toEqual([message]);
  });

  it('takes SWITCHYARD_WORKERS when the file does not set it, and the file wins', () => {
    expect(parseConfigText(upstreams, 'test.yaml', { SWITCHYARD_WORKERS: 'auto' }).server.workers).toBe(
      'auto',
    );
    expect(parseConfigText(upstreams, 'test.yaml', { SWITCHYARD_WORKERS: '3' }).server.workers).toBe(3);
    const file = `server: { workers: 2 }\n${upstreams}`;
    expect(parseConfigText(file, 'test.yaml', { SWITCHYARD_WORKERS: '3' }).server.workers).toBe(2);
    expect(() => parseConfigText(upstreams, 'test.yaml', { SWITCHYARD_WORKERS: 'x' })).toThrow(
      'SWITCHYARD_WORKERS: "x" must be "auto" (one per core) or a whole number from 1 to 256',
    );
  });

  it('refuses several workers on an in-memory store, and is no runtime setting', () => {
    expect(problemsOf(`server: { workers: 2 }\nstore: { path: ":memory:" }\n${upstreams}`)).toEqual([
      'server.workers: several workers share one store; store.path ":memory:" is private to each process (use a file or store.url)',
    ]);
    expect(isSetting('server.workers')).toBe(false);
  });
});
