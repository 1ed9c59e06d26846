import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TimeoutsConfig } from '../../config/schema/server';
import type { Gateway } from '../../gateway/gateway';
import { answerClientError } from './client-error';
import { compressResponse } from './compression';
import { ConnectionLimits } from './connection-limits';
import { NodeHttpExchange } from './http-exchange';
import { answerConnect, answerExpectation, refuseMissingHost, refuseTransferCoding } from './unrouted';

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
  const timeouts = gateway.runtime.config.server.timeouts;
  const limits = new ConnectionLimits(() => gateway.runtime.config.server, gateway.edge);
  const server = createServer(
    {
      noDelay: true,
      keepAlive: true,
      // The body's deadlines are the gateway's own (readBody), answered with 408 there.
      requestTimeout: 0,
      headersTimeout: timeouts.headers,
      // How often Node looks for connections past the headers timeout (its default is 30 s).
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(timeouts.headers / 4))),
      // Node's own check answers with an empty body; refuseMissingHost answers in the OpenAI shape.
      requireHostHeader: false,
    },
    (req, res) => {
      if (limits.isRefused(req.socket)) {
        req.socket.destroy();
        return;
      }
      if (refuseMissingHost(req, res, gateway.edge) || refuseTransferCoding(req, res, gateway.edge)) return;
      if (gateway.runtime.config.server.compression) compressResponse(req, res);
      const exchange = new NodeHttpExchange(req, res);
      gateway.handle(exchange, exchange);
    },
  );
  applyTimeouts(server, timeouts);
  gateway.reloadListeners.push((runtime) => applyTimeouts(server, runtime.config.server.timeouts));
  server.on('connection', limits.admit);
  server.on('connect', (req, socket) => answerConnect(req, socket, gateway.edge));
  server.on('checkExpectation', (req, res) => answerExpectation(req, res, gateway.edge));
  server.on('clientError', (err: Error & { code?: string }, socket) =>
    answerClientError(err, socket, gateway.edge),
  );
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

function applyTimeouts(server: Server, timeouts: TimeoutsConfig): void {
  server.headersTimeout = timeouts.headers;
  server.keepAliveTimeout = timeouts.keep_alive;
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
