import type { Miniflare } from 'miniflare';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorker } from './harness';

interface ErrorBody {
  error: { message: string; type: string; code: string };
}

describe('the Worker configuration (SWITCHYARD_CONFIG)', () => {
  let mf: Miniflare | undefined;

  afterEach(async () => {
    await mf?.dispose();
    mf = undefined;
  });

  it('answers every request with a 500 that names the invalid fields', async () => {
    mf = startWorker({
      config: ['upstreams:', '  - name: main', '    url: not-a-url', '    keys: ["${MISSING_KEY}"]'].join(
        '\n',
      ),
    });
    for (const path of ['/v1/chat/completions', '/health']) {
      const response = await mf.dispatchFetch(`http://gw${path}`);
      expect(response.status).toBe(500);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.type).toBe('server_error');
      expect(body.error.code).toBe('invalid_config');
      expect(body.error.message).toContain(
        'upstreams[0].keys[0]: environment variable MISSING_KEY is not set',
      );
    }
  });

  it('names schema problems once the variables resolve, and resolves ${VAR} from secrets', async () => {
    mf = startWorker({
      config: 'upstreams:\n  - name: main\n    url: not-a-url\n    keys: ["${UPSTREAM_KEY}"]\n',
      vars: { UPSTREAM_KEY: 'sk-from-a-secret-0001' },
    });
    const response = await mf.dispatchFetch('http://gw/health');
    const body = (await response.json()) as ErrorBody;
    expect(response.status).toBe(500);
    expect(body.error.message).toMatch(/upstreams\[0\]\.url: /);
    expect(body.error.message).not.toContain('sk-from-a-secret-0001');
  });
});
