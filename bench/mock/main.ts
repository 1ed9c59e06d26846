/** Child-process entry of the mock upstream: prints `{"port":N}` on stdout once it listens. */
import { parseArgs } from 'node:util';
import { startMockServer } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    chunks: { type: 'string', default: '50' },
    interval: { type: 'string', default: '20' },
    delay: { type: 'string', default: '60' },
  },
});
const { port } = await startMockServer(Number(values.port), values.host, {
  chunks: Number(values.chunks),
  intervalMs: Number(values.interval),
  delayMs: Number(values.delay),
});
process.stdout.write(`${JSON.stringify({ port })}\n`);
