import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringVariables, workerConfig } from './config';

const WRANGLER = readFileSync(
  resolve(import.meta.dirname, '../../../deploy/cloudflare/wrangler.toml'),
  'utf8',
);

describe('the Worker configuration', () => {
  it('the example in deploy/cloudflare/wrangler.toml is valid once its secrets are set', () => {
    const text = /SWITCHYARD_CONFIG = """\n([\s\S]*?)"""/.exec(WRANGLER)?.[1];
    expect(text).toBeDefined();
    const config = workerConfig(text, {
      OPENAI_KEY_1: 'sk-one-000000000001',
      OPENAI_KEY_2: 'sk-two-000000000002',
      CLIENT_TOKEN: 'sk-client-token-000001',
    });
    expect(config.upstreams.map((u) => [u.name, u.keys])).toEqual([
      ['openai', ['sk-one-000000000001', 'sk-two-000000000002']],
      ['backup', ['sk-one-000000000001']],
    ]);
    expect(config.admin.key).toBe('');
    expect(WRANGLER).toMatch(/^main = "dist\/worker\/index\.js"$/m);
    expect(WRANGLER).not.toMatch(/compatibility_flags/); // the bundle needs no Node compatibility
    expect(WRANGLER).toMatch(/^binding = "SWITCHYARD_DB"$/m);
  });

  it('names every variable that is not set', () => {
    expect(() => workerConfig('upstreams:\n  - name: a\n    url: ${BASE}\n    keys: ["${K}"]\n', {})).toThrow(
      /upstreams\[0\]\.url: environment variable BASE is not set[\s\S]*upstreams\[0\]\.keys\[0\]: environment variable K is not set/,
    );
  });

  it('says when SWITCHYARD_CONFIG is missing', () => {
    expect(() => workerConfig(undefined, {})).toThrow(/SWITCHYARD_CONFIG: the variable is not set/);
  });

  it('reads only text bindings as variables', () => {
    expect(stringVariables({ A: 'x', DB: { prepare() {} }, N: 3 })).toEqual({ A: 'x' });
  });
});
