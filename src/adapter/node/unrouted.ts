import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EdgeCounters } from '../../core/edge-counters';
import { errorBody, GatewayError } from '../../core/errors';
import { rawErrorResponse } from './client-error';

/**
 * `server.on('connect')`: a CONNECT request asks for a tunnel, which the gateway (no forward
 * proxy) never opens. Without this listener Node closes the socket without a word; the client
 * gets 405 `method_not_allowed` in the OpenAI shape instead.
 */
export function answerConnect(_req: IncomingMessage, socket: Duplex, edge: EdgeCounters): void {
  edge.count('bad_request');
  socket.on('error', () => {});
  const message = 'CONNECT is not supported: the gateway is not a forward proxy.';
  // Node no longer tracks a socket it handed to 'connect': close it here, once the answer is out,
  // or a server.close() would wait for it forever.
  socket.end(rawErrorResponse(new GatewayError('method_not_allowed', { message })), () => socket.destroy());
}

/**
 * An HTTP/1.1 request must carry `Host` (RFC 9112 §3.2). Node's own check answers 400 with an
 * empty body, so the server turns it off (`requireHostHeader: false`) and the gateway answers
 * here, in the OpenAI shape. True when the request was answered.
 */
export function refuseMissingHost(req: IncomingMessage, res: ServerResponse, edge: EdgeCounters): boolean {
  const http11 = req.httpVersionMajor === 1 && req.httpVersionMinor >= 1;
  if (!http11 || req.headers.host !== undefined) return false;
  edge.count('bad_request');
  const body = errorBody(
    new GatewayError('bad_request', { message: 'An HTTP/1.1 request must have a Host header.' }),
  );
  res.writeHead(400, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  });
  res.end(body);
  return true;
}

/**
 * `server.on('checkExpectation')`: an `Expect` other than `100-continue`. Node would answer 417
 * with an empty body; the gateway answers in the OpenAI shape and closes the connection (the
 * body, if any, is never read).
 */
export function answerExpectation(_req: IncomingMessage, res: ServerResponse, edge: EdgeCounters): void {
  edge.count('bad_request');
  const body = errorBody(new GatewayError('expectation_failed'));
  res.writeHead(417, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  });
  res.end(body);
}

/**
 * Transfer codings the gateway does not implement (RFC 9112 §6): when `chunked` is not the last
 * coding the body's length is unknown (400 `bad_request`); `gzip, chunked` and the like would
 * reach the upstream still encoded and unlabelled (501). True when the request was answered.
 */
export function refuseTransferCoding(req: IncomingMessage, res: ServerResponse, edge: EdgeCounters): boolean {
  const header = req.headers['transfer-encoding'];
  if (header === undefined) return false;
  const codings = header.split(',').map((coding) => coding.trim().toLowerCase());
  if (codings.length === 1 && codings[0] === 'chunked') return false;
  edge.count('bad_request');
  const error =
    codings[codings.length - 1] === 'chunked'
      ? new GatewayError('unsupported_transfer_encoding')
      : new GatewayError('bad_request', {
          message: 'The request body is not framed: chunked is not its last coding.',
        });
  const body = errorBody(error);
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  });
  res.end(body);
  return true;
}
