import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay on port 0 to `host:port` that a test turns on and off: off, it accepts and
 * drops every connection at once (a server that went away); `cut` also drops the live ones.
 */
export interface TcpSwitch {
  readonly port: number;
  on(): void;
  /** Refuses new connections and drops the live ones. */
  cut(): void;
  close(): Promise<void>;
}

export async function startTcpSwitch(host: string, port: number): Promise<TcpSwitch> {
  let enabled = false;
  const live = new Set<Socket>();
  const server: Server = createServer((socket) => {
    if (!enabled) {
      socket.destroy();
      return;
    }
    const upstream = createConnection({ host, port });
    live.add(socket).add(upstream);
    const drop = () => {
      socket.destroy();
      upstream.destroy();
      live.delete(socket);
      live.delete(upstream);
    };
    socket.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const cut = () => {
    enabled = false;
    for (const socket of live) socket.destroy();
    live.clear();
  };
  return {
    port: address.port,
    on() {
      enabled = true;
    },
    cut,
    close() {
      cut();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
