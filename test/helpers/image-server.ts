import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** An image server on 127.0.0.1, port 0: what a private address would serve. */
export async function startImageServer(): Promise<{
  url: string;
  hits: string[];
  close: () => Promise<void>;
}> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const { port } = server.address() as AddressInfo;
    switch (req.url?.split('?')[0]) {
      case '/cat.png':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(PNG.length) });
        return res.end(PNG);
      case '/big.png':
        res.writeHead(200, { 'content-type': 'image/png' });
        return res.end(Buffer.alloc(4096));
      case '/declared-big.png':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': '99999999' });
        return res.end();
      case '/page.html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end('<html></html>');
      case '/hop':
        res.writeHead(302, { location: '/cat.png' });
        return res.end();
      case '/to-ipv6':
        res.writeHead(301, { location: `http://[::1]:${port}/cat.png` });
        return res.end();
      case '/loop':
        res.writeHead(302, { location: '/loop' });
        return res.end();
      case '/slow.png':
        return; // never answers
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
