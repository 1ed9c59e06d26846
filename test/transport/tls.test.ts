import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testUpstream } from '../helpers/routing';
import { exchange, TRANSPORTS } from './exchange';

interface Pki {
  readonly ca: string;
  /** Key and certificate for `localhost`, signed by `ca`. */
  readonly localhost: { key: string; cert: string };
  /** Key and certificate for `other.test`, signed by `ca`. */
  readonly other: { key: string; cert: string };
}

/** A throwaway CA and two server certificates, made with openssl for this run only. */
function makePki(dir: string): Pki {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=switchyard test CA',
  );
  const leaf = (name: string) => {
    run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=DNS:${name}\n`);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    );
    return {
      key: readFileSync(join(dir, `${name}.key`), 'utf8'),
      cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
    };
  };
  return {
    ca: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    localhost: leaf('localhost'),
    other: leaf('other.test'),
  };
}

/** A TLS server answering every request with `ok`, recording the SNI name each connection sent. */
async function tlsServer(identity: { key: string; cert: string }) {
  const names: (string | false | null)[] = [];
  const resumed: boolean[] = [];
  let close = false;
  const server: Server = createServer(identity, (socket: TLSSocket) => {
    names.push(socket.servername);
    resumed.push(socket.isSessionReused());
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        socket.write(`HTTP/1.1 200 OK\r\n${close ? 'connection: close\r\n' : ''}content-length: 2\r\n\r\nok`);
      }
    });
    socket.on('error', () => {});
  });
  server.on('tlsClientError', () => {});
  server.listen(0, 'localhost');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const closeEach = (on: boolean) => {
    close = on;
  };
  return { server, names, resumed, closeEach, url: `https://localhost:${port}` };
}

describe('TLS to upstreams: SNI and certificate checks', () => {
  let dir: string;
  let pki: Pki;
  let good: Awaited<ReturnType<typeof tlsServer>>;
  let wrongName: Awaited<ReturnType<typeof tlsServer>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-tls-'));
    pki = makePki(dir);
    good = await tlsServer(pki.localhost);
    wrongName = await tlsServer(pki.other);
  });
  afterAll(() => {
    good.server.close();
    wrongName.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lean: sends the host name as SNI, checks the certificate against the given CA, keeps the connection', async () => {
    const transport = TRANSPORTS.lean({ tls: { ca: pki.ca } });
    const upstream = testUpstream('tls', { url: good.url });
    try {
      const first = await exchange(transport, upstream);
      const second = await exchange(transport, upstream);
      expect([first.body.toString(), second.body.toString()]).toEqual(['ok', 'ok']);
      expect(good.names).toEqual(['localhost']);
    } finally {
      await transport.close();
    }
  });

  it('lean: resumes the TLS session on the next connection to the origin', async () => {
    const transport = TRANSPORTS.lean({ tls: { ca: pki.ca } });
    const upstream = testUpstream('tls', { url: good.url });
    good.closeEach(true);
    const before = good.resumed.length;
    try {
      for (let i = 0; i < 3; i++) expect((await exchange(transport, upstream)).body.toString()).toBe('ok');
      expect(good.resumed.slice(before)).toEqual([false, true, true]);
    } finally {
      good.closeEach(false);
      await transport.close();
    }
  });

  it('lean: refuses a certificate for another name even from the trusted CA', async () => {
    const transport = TRANSPORTS.lean({ tls: { ca: pki.ca } });
    try {
      const out = await exchange(transport, testUpstream('tls', { url: wrongName.url }));
      expect(out.events).toEqual(['start', 'error']);
      expect(out.error?.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    } finally {
      await transport.close();
    }
  });

  for (const name of ['undici', 'lean'] as const) {
    it(`${name}: refuses a certificate from a CA it does not trust`, async () => {
      const transport = TRANSPORTS[name]();
      try {
        const out = await exchange(transport, testUpstream('tls', { url: good.url }));
        // undici starts a request (onStart) only once it has a connection; lean at dispatch.
        expect(out.events.filter((event) => event !== 'start')).toEqual(['error']);
        expect(out.error?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      } finally {
        await transport.close();
      }
    });
  }
});
