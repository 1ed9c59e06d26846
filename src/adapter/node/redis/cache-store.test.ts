import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RedisCacheStore } from './cache-store';
import { RedisLink } from './connection';

/** A port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('RedisCacheStore without Redis', () => {
  it('misses and skips stores instead of failing the request, telling the fault; admin reads refuse with 503', async () => {
    const link = new RedisLink(`redis://127.0.0.1:${await closedPort()}/0`, 'sy-down');
    const faults: unknown[] = [];
    const store = new RedisCacheStore(
      link,
      1 << 20,
      () => 0,
      (err) => faults.push(err),
    );
    const entry = {
      status: 200,
      contentType: 'application/json',
      body: new Uint8Array([123, 125]),
      stream: false,
      route: 'chat',
      model: null,
      tokens: 0,
      cost: null,
      storedAt: 0,
      expiresAt: 60_000,
    };
    await expect(store.set('k', entry)).resolves.toBeUndefined();
    await expect(store.get('k')).resolves.toBeUndefined();
    expect(faults.length).toBe(2);
    await expect(store.purge({ route: 'chat' })).rejects.toMatchObject({
      code: 'state_unavailable',
      status: 503,
    });
    await expect(store.stats()).rejects.toMatchObject({ code: 'state_unavailable', status: 503 });
    await link.close();
  });
});
