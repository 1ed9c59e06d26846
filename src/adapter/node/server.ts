import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway } from '../../core/gateway';
import { compressResponse } from './compression';

export interface ListeningServer {
  readonly server: Server;
  readonly port: number;
  readonly host: string;
  /** Stops accepting, lets in-flight requests finish up to `timeoutMs`, then closes the rest. */
  drain(timeoutMs: number): Promise<void>;
}

/**
 * Pending connections the kernel may queue before the gateway accepts them (capped by
 * net.core.somaxconn). Node's default of 511 overflows when thousands of clients connect at once
 * (streams opening together): the kernel then drops their SYNs and they retry after 1, 3, 7… s.
 */
const LISTEN_BACKLOG = 4096;

/** Serves the gateway over node:http with keep-alive and no Nagle delay for streams. */
export async function listen(gateway: Gateway, host: string, port: number): Promise<ListeningServer> {
  const server = createServer(
    { noDelay: true, keepAlive: true, requestTimeout: 0, headersTimeout: 60_000 },
    (req, res) => {
      if (gateway.runtime.config.server.compression) compressResponse(req, res);
      gateway.handle(req, res);
    },
  );
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    port: address.port,
    host: address.address,
    drain: (timeoutMs) => drain(server, gateway, timeoutMs),
  };
}

async function drain(server: Server, gateway: Gateway, timeoutMs: number): Promise<void> {
  gateway.draining = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = Date.now() + timeoutMs;
  while (gateway.inFlight > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    server.closeIdleConnections();
  }
  server.closeAllConnections();
  await closed;
  while (gateway.pendingAccounts > 0) await new Promise((resolve) => setImmediate(resolve));
}
