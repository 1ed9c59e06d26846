import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../../core/errors';
import { ClientCancelledError } from '../../proxy/failures';

/**
 * Reads the whole request body, up to `limit` bytes. The body is held because a retry on
 * another key or upstream must send it again; a body over the limit is refused with 413.
 * Resolves null for requests without a body.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = req.headers['content-length'];
  if (declared === undefined && req.headers['transfer-encoding'] === undefined) return Promise.resolve(null);
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(size === 0 ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      if (!req.complete) onError(new ClientCancelledError('the client closed the connection while sending'));
    };
    const cleanup = (): void => {
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

function tooLarge(limit: number): GatewayError {
  return new GatewayError('request_too_large', {
    message: `The request body is larger than the gateway's limit of ${limit} bytes (server.max_body_size).`,
  });
}
