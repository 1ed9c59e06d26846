import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';

/**
 * A URL nothing listens on: a port this process opened on 127.0.0.1 and closed again, rather
 * than a well-known port that something on the machine might serve after all.
 */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  return `http://127.0.0.1:${port}`;
}
