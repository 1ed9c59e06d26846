import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/errors';
import { parseConfigText } from '../../config/parse';
import { keysFileReader, loadConfig, resolveConfigPath } from './config-files';

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration loading', () => {
  it('accepts the documented example and fills defaults', () => {
    const config = parseConfigText(
      `
server: { port: 9000, auth_keys: [sk-client-1] }
admin:
  key: \${ADMIN}
upstreams:
  - { name: openai-a, url: https://api.openai.com, keys: [sk-a1, sk-a2], weight: 1, priority: 0 }
  - { name: render-b, url: https://bbb.example.com, keys: [sk-b1] }
routes:
  - { name: default, upstreams: [openai-a, render-b], strategy: round-robin }
`,
      'test.yaml',
      { ADMIN: 'admin-secret' },
    );
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 9000, auth_keys: ['sk-client-1'] });
    expect(config.admin.key).toBe('admin-secret');
    expect(config.upstreams[1]).toMatchObject({ weight: 1, priority: 0, provider: 'openai' });
    expect(config.upstreams[0]!.timeouts).toEqual({
      connect: 10_000,
      first_byte: 300_000,
      idle: 120_000,
      total: 600_000,
    });
  });

  it('names the field and the reason for every problem', () => {
    const problems = problemsOf(() =>
      parseConfigText(
        `
server: { port: 99999, colour: blue }
upstreams:
  - { name: a, url: ftp://x }
  - { name: a, url: https://ok.example, timeouts: { idle: soon } }
routes:
  - { name: r, upstreams: [a, missing] }
`,
        'bad.yaml',
        {},
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^server\.port: /),
        'server: unknown field "colour"',
        'upstreams[0].url: must be an http:// or https:// URL',
        expect.stringMatching(/^upstreams\[1\]\.timeouts\.idle: "soon" is not a duration/),
      ]),
    );
  });

  it('reports cross-references after the fields are valid', () => {
    const problems = problemsOf(() =>
      parseConfigText(
        'upstreams: [{ name: a, url: "https://a.example" }, { name: a, url: "https://b.example" }]\nroutes: [{ name: r, upstreams: [a, missing] }]',
        'x.yaml',
        {},
      ),
    );
    expect(problems).toEqual([
      'upstreams[1].name: duplicate name "a"',
      'routes[0].upstreams[1]: unknown upstream "missing"',
    ]);
  });

  it('interpolates ${VAR} and ${VAR:-default}, and names an unset variable', () => {
    const config = parseConfigText(
      'upstreams: [{ name: a, url: "${URL:-https://fallback.example}", keys: ["${KEY}"] }]',
      'x.yaml',
      { KEY: 'sk-from-env' },
    );
    expect(config.upstreams[0]).toMatchObject({ url: 'https://fallback.example', keys: ['sk-from-env'] });
    expect(problemsOf(() => parseConfigText('admin: { key: "${NOPE}" }', 'x.yaml', {}))).toEqual([
      'admin.key: environment variable NOPE is not set (use ${NOPE:-default})',
    ]);
  });

  it('reads keys_file relative to the config file, skipping comments and duplicates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-config-'));
    writeFileSync(join(dir, 'keys.txt'), '# pool\nsk-file-1\n\nsk-file-2 # second\nsk-inline\n');
    const file = join(dir, 'switchyard.yaml');
    writeFileSync(
      file,
      'upstreams: [{ name: a, url: "https://a.example", keys: [sk-inline], keys_file: keys.txt }]',
    );
    const { config } = loadConfig(file, {});
    expect(config.upstreams[0]!.keys).toEqual(['sk-inline', 'sk-file-1', 'sk-file-2']);
    writeFileSync(file, 'upstreams: [{ name: a, url: "https://a.example", keys_file: nope.txt }]');
    expect(problemsOf(() => loadConfig(file, {}))[0]).toMatch(/^upstreams\[0\]\.keys_file: cannot read /);
  });

  it('refuses keys_file where no files can be read (the Worker), and reads it with a reader', () => {
    const text = 'upstreams: [{ name: a, url: "https://a.example", keys_file: keys.txt }]';
    expect(problemsOf(() => parseConfigText(text, 'worker', {}))).toEqual([
      'upstreams[0].keys_file: this runtime reads no files; list the keys in "keys"',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'sy-config-'));
    writeFileSync(join(dir, 'keys.txt'), 'sk-from-file\n');
    expect(parseConfigText(text, 'x.yaml', {}, keysFileReader(dir)).upstreams[0]!.keys).toEqual([
      'sk-from-file',
    ]);
  });

  it('reports YAML syntax errors', () => {
    expect(problemsOf(() => parseConfigText('upstreams: [ {', 'x.yaml', {}))[0]).toMatch(/^YAML syntax: /);
  });
});

describe('quick mode and where the config comes from', () => {
  it('builds one upstream from the environment', () => {
    const { config } = loadConfig(null, {
      SWITCHYARD_KEYS: 'sk-1,sk-2\nsk-3',
      SWITCHYARD_AUTH_KEY: 'sk-client',
      PORT: '9999',
      HOST: '0.0.0.0',
    });
    expect(config.upstreams).toEqual([
      expect.objectContaining({
        name: 'default',
        url: 'https://api.openai.com',
        keys: ['sk-1', 'sk-2', 'sk-3'],
      }),
    ]);
    expect(config.server).toMatchObject({ auth_keys: ['sk-client'], port: 9999, host: '0.0.0.0' });
  });

  it('has no upstream without keys or URL', () => {
    expect(loadConfig(null, {}).config.upstreams).toEqual([]);
    expect(loadConfig(null, { SWITCHYARD_UPSTREAM_URL: 'http://127.0.0.1:1' }).config.upstreams).toHaveLength(
      1,
    );
  });

  it('takes store.path from SWITCHYARD_STORE_PATH unless the file sets it', () => {
    const env = { SWITCHYARD_STORE_PATH: '/data/switchyard.db' };
    expect(loadConfig(null, env).config.store.path).toBe('/data/switchyard.db');
    expect(parseConfigText('server: { port: 1 }', 'x.yaml', env).store.path).toBe('/data/switchyard.db');
    expect(parseConfigText('store: { path: own.db }', 'x.yaml', env).store.path).toBe('own.db');
    expect(loadConfig(null, {}).config.store.path).toBe('data/switchyard.db');
  });

  it('takes store.url from SWITCHYARD_STORE_URL unless the file sets it', () => {
    const env = {
      SWITCHYARD_STORE_URL: 'postgres://sy:pw-secret@db.example:5432/switchyard?sslmode=require',
    };
    expect(loadConfig(null, env).config.store.url).toBe(
      'postgres://sy:pw-secret@db.example:5432/switchyard?sslmode=require',
    );
    expect(parseConfigText('store: { url: "postgresql://h/own" }', 'x.yaml', env).store.url).toBe(
      'postgresql://h/own',
    );
    expect(loadConfig(null, {}).config.store.url).toBeUndefined();
    expect(problemsOf(() => loadConfig(null, { SWITCHYARD_STORE_URL: 'mysql://h/db' }))).toEqual([
      'SWITCHYARD_STORE_URL: must be a postgres:// (or postgresql://) URL',
    ]);
  });

  it('rejects a bad PORT', () => {
    expect(problemsOf(() => loadConfig(null, { PORT: 'eighty' }))).toEqual([
      'PORT: "eighty" is not a port number',
    ]);
  });

  it('prefers --config, then SWITCHYARD_CONFIG, then ./switchyard.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-resolve-'));
    expect(resolveConfigPath(undefined, {}, dir)).toBeNull();
    writeFileSync(join(dir, 'switchyard.yaml'), '{}');
    expect(resolveConfigPath(undefined, {}, dir)).toBe(join(dir, 'switchyard.yaml'));
    expect(resolveConfigPath(undefined, { SWITCHYARD_CONFIG: 'other.yaml' }, dir)).toBe(
      join(dir, 'other.yaml'),
    );
    expect(resolveConfigPath('cli.yaml', { SWITCHYARD_CONFIG: 'other.yaml' }, dir)).toBe(
      join(dir, 'cli.yaml'),
    );
  });
});
