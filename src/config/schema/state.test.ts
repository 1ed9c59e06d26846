import { describe, expect, it } from 'vitest';
import { configSecrets } from '../../observe/config-secrets';
import { Redactor } from '../../observe/redact';
import { ConfigError } from '../errors';
import { parseConfigText } from '../parse';

function problemsOf(text: string, env: Record<string, string> = {}): readonly string[] {
  try {
    parseConfigText(text, 'test.yaml', env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('the state block', () => {
  it('keeps state in the process by default, under the prefix "switchyard"', () => {
    const config = parseConfigText('upstreams: []', 'test.yaml', {});
    expect(config.state).toEqual({ prefix: 'switchyard', timeout: 1000 });
  });

  it('takes redis:// and rediss:// URLs and refuses others', () => {
    const tls = parseConfigText('state: { url: "rediss://cache.example:6380/2" }', 'test.yaml', {});
    expect(tls.state.url).toBe('rediss://cache.example:6380/2');
    expect(problemsOf('state: { url: "http://cache.example" }')[0]).toMatch(/^state\.url: must be a redis/);
    expect(problemsOf('state: { prefix: "a b" }')[0]).toMatch(/^state\.prefix/);
  });

  it('takes SWITCHYARD_STATE_URL when the file names no URL, and the file wins', () => {
    const env = { SWITCHYARD_STATE_URL: 'redis://10.0.0.5:6379/1' };
    expect(parseConfigText('upstreams: []', 'test.yaml', env).state.url).toBe('redis://10.0.0.5:6379/1');
    const file = 'state: { url: "redis://127.0.0.1:6379/0" }';
    expect(parseConfigText(file, 'test.yaml', env).state.url).toBe('redis://127.0.0.1:6379/0');
  });

  it('refuses a SWITCHYARD_STATE_URL that is not a Redis URL without echoing it', () => {
    const problems = problemsOf('upstreams: []', { SWITCHYARD_STATE_URL: 'postgres://u:hunter2secret@db/x' });
    expect(problems).toEqual([
      'SWITCHYARD_STATE_URL: must be a redis:// or rediss:// URL (redis://[user:password@]host[:port][/db])',
    ]);
  });

  it('treats the credentials in the URL as secrets', () => {
    const config = parseConfigText(
      'state: { url: "rediss://gateway:s3cr%40t-pass-word@cache.example:6380" }',
      'test.yaml',
      {},
    );
    const redactor = new Redactor();
    redactor.replaceAll(configSecrets(config));
    const line = redactor.redact('cannot connect to rediss://gateway:s3cr%40t-pass-word@cache.example:6380');
    expect(line).not.toContain('s3cr%40t-pass-word');
    expect(redactor.redact('auth s3cr@t-pass-word failed')).not.toContain('s3cr@t-pass-word');
  });
});
