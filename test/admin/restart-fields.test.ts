import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/adapter/node/logger';
import { ConfigManager } from '../../src/config/manager';
import type { ConfigSource } from '../../src/config/source';
import { Redactor } from '../../src/observe/redact';

const PASSWORD = 'redis-pass-word-5e81c2';

describe('a reload that changes a field read at start', () => {
  it('says state.url changed and needs a restart, without the URL', () => {
    let input: Record<string, unknown> = { state: { url: 'redis://127.0.0.1:6379/0' } };
    const source: ConfigSource = {
      path: null,
      name: 'test',
      env: {},
      read: () => structuredClone(input),
      watchedFiles: () => [],
    };
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'info', format: 'json', redactor: new Redactor(), destination });
    const api = () => ({ upstreams: [], routes: [], settings: new Map() });
    const manager = ConfigManager.open(source, api, logger);
    input = { state: { url: `redis://gw:${PASSWORD}@10.0.0.9:6379/0`, prefix: 'other' } };
    expect(manager.reload('test', { apply: () => {} }).applied).toBe(true);
    const warnings = lines.filter((line) => line.includes('takes effect after a restart'));
    expect(warnings.map((line) => (JSON.parse(line) as { field: string }).field)).toEqual([
      'state.url',
      'state.prefix',
    ]);
    expect(lines.join('\n')).not.toContain(PASSWORD);
  });
});
