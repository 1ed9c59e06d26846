import type { Socket } from 'node:net';
import type { ServerConfig } from '../../config/schema/server';
import type { EdgeCounters } from '../../core/edge-counters';
import { GatewayError } from '../../core/errors';
import { rawErrorResponse } from './client-error';

/**
 * `server.max_connections` and `server.max_connections_per_ip`: a connection over either cap is
 * answered 503 `too_many_connections` and closed; requests Node still parses from it are dropped.
 * The per-IP count is by peer address (a proxy in front counts as one address).
 */
export class ConnectionLimits {
  private total = 0;
  private readonly perIp = new Map<string, number>();
  private readonly refused = new WeakSet<Socket>();

  constructor(
    private readonly config: () => ServerConfig,
    private readonly edge: EdgeCounters,
  ) {}

  /** The `connection` listener. */
  readonly admit = (socket: Socket): void => {
    const { max_connections: max, max_connections_per_ip: maxPerIp } = this.config();
    const ip = socket.remoteAddress ?? '';
    const fromIp = this.perIp.get(ip) ?? 0;
    if (max > 0 && this.total >= max) {
      this.refuse(socket, 'max_connections');
      return;
    }
    if (maxPerIp > 0 && fromIp >= maxPerIp) {
      this.refuse(socket, 'max_connections_per_ip');
      return;
    }
    this.total++;
    this.perIp.set(ip, fromIp + 1);
    socket.once('close', () => {
      this.total--;
      const left = (this.perIp.get(ip) ?? 1) - 1;
      if (left === 0) this.perIp.delete(ip);
      else this.perIp.set(ip, left);
    });
  };

  /** True for a connection that was refused: its requests must not be handled. */
  isRefused(socket: Socket): boolean {
    return this.refused.has(socket);
  }

  private refuse(socket: Socket, reason: 'max_connections' | 'max_connections_per_ip'): void {
    this.refused.add(socket);
    this.edge.count(reason);
    socket.on('error', () => {});
    const message =
      reason === 'max_connections'
        ? 'The gateway has too many open connections (server.max_connections); retry later.'
        : 'Too many open connections from this address (server.max_connections_per_ip); retry later.';
    socket.end(rawErrorResponse(new GatewayError('too_many_connections', { message })));
    setTimeout(() => socket.destroy(), 1000).unref();
  }
}
