import { afterEach, describe, expect, it, vi } from 'vitest';
import { isolateGateway, type WorkerGateway } from './isolate';

const configWith = (name: string) =>
  `server: { log_level: silent }\nupstreams:\n  - name: ${name}\n    url: http://127.0.0.1:9\n    keys: ["\${KEY}"]\n`;

describe('the gateway of a Worker isolate', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is built once and rebuilt when the configuration text changes', async () => {
    const env = { SWITCHYARD_CONFIG: configWith('first'), KEY: 'sk-secret-key-000001' };
    const first = (await isolateGateway(env)) as WorkerGateway;
    expect([...first.gateway.runtime.upstreams.keys()]).toEqual(['first']);
    expect(await isolateGateway({ ...env })).toBe(first);
    const second = (await isolateGateway({
      ...env,
      SWITCHYARD_CONFIG: configWith('second'),
    })) as WorkerGateway;
    expect(second).not.toBe(first);
    expect([...second.gateway.runtime.upstreams.keys()]).toEqual(['second']);
  });

  it('reports and logs the fields of an invalid configuration', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const built = await isolateGateway({
      SWITCHYARD_CONFIG: 'upstreams:\n  - name: x\n    url: ftp://nope\n',
    });
    expect(built).toEqual({ problems: ['upstreams[0].url: must be an http:// or https:// URL'] });
    expect(logged).toHaveBeenCalledOnce();
    expect(String(logged.mock.calls[0]![0])).toContain(
      'upstreams[0].url: must be an http:// or https:// URL',
    );
  });

  it('refuses keys_file: a Worker has no files', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const built = await isolateGateway({
      SWITCHYARD_CONFIG: 'upstreams:\n  - name: x\n    url: http://127.0.0.1:9\n    keys_file: keys.txt\n',
    });
    expect(built).toEqual({
      problems: ['upstreams[0].keys_file: this runtime reads no files; list the keys in "keys"'],
    });
  });
});
