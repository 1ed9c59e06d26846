/**
 * The platform floor: a bare reverse proxy on node:http and an undici Pool, with none of a
 * gateway's work (no client auth, no JSON parse, no routing, no retries, no logging). It rotates
 * the bench keys into `Authorization` and pipes the answer back. Whatever Switchyard costs above
 * this is Switchyard's own; what this costs is node:http's and undici's.
 * Child-process entry: `--port P --upstream URL --keys N`; prints `{"port":N}` when listening.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { parseArgs } from 'node:util';
import { type Dispatcher, Pool } from 'undici';
import { benchKeys } from '../config/keys';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    upstream: { type: 'string' },
    keys: { type: 'string', default: '10' },
  },
});
const pool = new Pool(values.upstream!, { connections: null, pipelining: 1 });
const keys = benchKeys(Number(values.keys)).map((key) => `Bearer ${key}`);
let next = 0;

const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const headers: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!.toLowerCase();
      if (name === 'authorization' || name === 'host' || name === 'connection') continue;
      headers.push(name, req.rawHeaders[i + 1]!);
    }
    headers.push('authorization', keys[next++ % keys.length]!);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart() {},
      onResponseStart(_c, status: number, head: IncomingHttpHeaders) {
        const { connection: _, 'keep-alive': __, 'transfer-encoding': ___, ...rest } = head;
        res.writeHead(status, rest);
      },
      onResponseData(_c, chunk: Buffer) {
        res.write(chunk);
      },
      onResponseEnd() {
        res.end();
      },
      onResponseError(_c, err: Error) {
        if (!res.headersSent) res.writeHead(502);
        res.end(String(err.message));
      },
    };
    pool.dispatch(
      { method: req.method as Dispatcher.HttpMethod, path: req.url!, headers, body: Buffer.concat(chunks) },
      handler,
    );
  });
});
server.listen({ port: Number(values.port), host: '127.0.0.1', backlog: 4096 }, () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
