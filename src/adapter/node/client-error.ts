import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { EdgeCounters, EdgeEvent } from '../../core/edge-counters';
import { type ErrorCode, errorBody, GatewayError } from '../../core/errors';

/** A response object Node may have attached to the socket (a request being answered). */
interface WithResponse {
  readonly _httpMessage?: { readonly headersSent?: boolean } | null;
}

/** Node's parser and timeout errors, mapped to the gateway's codes. */
function classify(code: string | undefined): { error: ErrorCode; event: EdgeEvent } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { error: 'request_timeout', event: 'headers_timeout' };
  if (code === 'HPE_HEADER_OVERFLOW') return { error: 'headers_too_large', event: 'headers_too_large' };
  return { error: 'bad_request', event: 'bad_request' };
}

/**
 * `server.on('clientError')`: what Node itself would answer (400, 408 on the headers timeout,
 * 431), in the OpenAI error shape, then the connection is closed. Nothing is written when the
 * socket is gone or a response has already started on it.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex, edge: EdgeCounters): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { error, event } = classify(err.code);
  edge.count(event);
  if ((socket as WithResponse)._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(rawErrorResponse(new GatewayError(error)));
}

/** A whole HTTP/1.1 error response, written on a socket outside Node's response machinery. */
export function rawErrorResponse(err: GatewayError): string {
  const body = errorBody(err);
  return (
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? ''}\r\n` +
    'content-type: application/json\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    'connection: close\r\n\r\n' +
    body
  );
}
