import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isConsolePath, serveConsole } from '../../admin/console-serve';
import type { AdminRouter } from '../../admin/router';
import { errorBody, GatewayError } from '../../core/errors';
import type { Logger } from '../../observe/logger';
import { NodeHttpExchange } from './http-exchange';

export interface AdminListener {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** The admin API, `/metrics` and the web console (`/ui/`) on their own address (`admin.host`, `admin.port`). */
export async function listenAdmin(
  router: AdminRouter,
  host: string,
  port: number,
  logger: Logger,
): Promise<AdminListener> {
  const server = createServer({ keepAlive: true }, (req, res) => {
    const headers = { 'x-request-id': randomUUID() };
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/metrics' || path === '/admin' || path.startsWith('/admin/')) {
      const exchange = new NodeHttpExchange(req, res);
      router.handle(exchange, exchange, { replyHeaders: headers, via: 'admin' }).catch((err: unknown) => {
        logger.error({ err }, 'admin request failed');
      });
      return;
    }
    if (isConsolePath(path)) {
      const exchange = new NodeHttpExchange(req, res);
      serveConsole(router, exchange, exchange, headers, 'admin');
      return;
    }
    const body = errorBody(new GatewayError('not_found'));
    res.writeHead(404, { 'content-type': 'application/json', ...headers });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    server,
    host: address.address,
    port: address.port,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
