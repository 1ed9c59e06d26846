import { connect } from 'node:net';

/** A response read off a raw socket: the final status (after any 1xx), its head and body. */
export interface RawResponse {
  readonly status: number;
  readonly interim: number[];
  readonly head: string;
  readonly body: string;
}

/**
 * Sends bytes the fetch client cannot (`OPTIONS *`, absolute-form targets, `Expect`) on a fresh
 * connection and reads until the server closes it (send `Connection: close`). With `body` and
 * `awaitContinue`, the body is sent only after the server's `100 Continue`, as curl does.
 */
export function rawRequest(
  url: string,
  head: string,
  options: { body?: string; awaitContinue?: boolean } = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    let bodySent = false;
    const sendBody = () => {
      if (bodySent || options.body === undefined) return;
      bodySent = true;
      socket.write(options.body);
    };
    socket.setEncoding('latin1');
    socket.on('connect', () => {
      socket.write(head);
      if (!options.awaitContinue) sendBody();
    });
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (options.awaitContinue && /^HTTP\/1\.1 100 /.test(received)) sendBody();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(parse(received)));
  });
}

function parse(text: string): RawResponse {
  const interim: number[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    const head = end === -1 ? rest : rest.slice(0, end);
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
    if (status >= 100 && status < 200 && end !== -1) {
      interim.push(status);
      rest = rest.slice(end + 4);
      continue;
    }
    return { status, interim, head, body: end === -1 ? '' : rest.slice(end + 4) };
  }
}
