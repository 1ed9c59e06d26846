import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../../core/errors';
import type { BodyDeadlines, BodyTimeout } from '../../http/types';
import { ClientCancelledError } from '../../proxy/failures';

/**
 * Reads the whole request body, up to `limit` bytes. The body is held because a retry on
 * another key or upstream must send it again; a body over the limit is refused with 413, one
 * that stalls or drags past its deadlines with 408. A client that goes away while sending is
 * a `ClientCancelledError` (499), not a gateway fault. Resolves null for requests without a body.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  deadlines?: BodyDeadlines,
): Promise<Buffer | null> {
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] === undefined) return Promise.resolve(null);
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const timedOut = (event: BodyTimeout): void => {
      deadlines?.onTimeout?.(event);
      fail(bodyTimeout(event));
    };
    const idle = deadlines && setTimeout(() => timedOut('body_idle_timeout'), deadlines.idleMs);
    const total = deadlines && setTimeout(() => timedOut('body_timeout'), deadlines.totalMs);
    const onData = (chunk: Buffer): void => {
      idle?.refresh();
      size += chunk.length;
      if (size > limit) {
        req.resume();
        fail(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(size === 0 ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      fail(req.complete ? err : cancelled());
    };
    const onClose = (): void => {
      if (!req.complete) fail(cancelled());
    };
    const cleanup = (): void => {
      clearTimeout(idle);
      clearTimeout(total);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function cancelled(): ClientCancelledError {
  return new ClientCancelledError('the client closed the connection while sending');
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('request_too_large', {
    message: `The request body is larger than the gateway's limit of ${limit} bytes (server.max_body_size).`,
  });
}

function bodyTimeout(event: BodyTimeout): GatewayError {
  const message =
    event === 'body_idle_timeout'
      ? 'The client stopped sending the request body (server.timeouts.body_idle).'
      : 'The client took too long to send the request body (server.timeouts.body).';
  return new GatewayError('request_timeout', { message, headers: { connection: 'close' } });
}
