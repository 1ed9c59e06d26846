import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway';
import { signal, startMock } from '../helpers/mock-upstream';

const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const TOTAL_CHUNKS = 1024; // 64 MiB in all

describe('backpressure from a slow client to the upstream', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  it('pauses the upstream while the client does not read, and delivers every byte after', async () => {
    // The upstream writes as fast as it may. "Stalled": it waited 200 ms for a drain that did
    // not come, i.e. the pressure of the paused client reached it. A gateway that buffered the
    // body instead would let it write everything (and report the total).
    const blocked = signal();
    let writtenWhenBlocked = 0;
    const mock = await startMock(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let written = 0;
      for (let i = 0; i < TOTAL_CHUNKS; i++) {
        written += CHUNK.length;
        if (res.write(CHUNK)) continue;
        const stall = setTimeout(() => {
          writtenWhenBlocked ||= written;
          blocked.fire();
        }, 200);
        await new Promise((resolve) => res.once('drain', resolve));
        clearTimeout(stall);
      }
      writtenWhenBlocked ||= written;
      blocked.fire();
      res.end();
    });
    const gw = await startTestGateway({
      upstreams: [{ name: 'm', url: mock.url, keys: ['sk-bp-key-0000001'] }],
    });
    cleanup.push(mock.close, () => gw.stop(1000));

    const received = await new Promise<number>((resolve, reject) => {
      const req = request(`${gw.url}/v1/files/big/content`, (res) => {
        res.pause();
        void blocked.promise.then(() => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          res.on('end', () => resolve(bytes));
          res.resume();
        });
      });
      req.on('error', reject);
      req.end();
    });
    // The upstream was stopped long before it could write everything: nothing buffered it all.
    expect(writtenWhenBlocked).toBeLessThan((TOTAL_CHUNKS * CHUNK.length) / 4);
    expect(received).toBe(TOTAL_CHUNKS * CHUNK.length);
  });
});
