import type { ServerResponse } from 'node:http';
import type { RequestContext } from '../core/context';
import { errorBody, type GatewayError } from '../core/errors';
import { errorServerTiming } from '../observe/server-timing';

/** Sends an error the gateway itself made, in OpenAI's shape, with the request's own headers. */
export function sendError(res: ServerResponse, ctx: RequestContext, err: GatewayError): void {
  ctx.status = err.status;
  ctx.error ??= `${err.code}: ${err.detail ?? err.message}`;
  if (res.headersSent || res.destroyed) return;
  const body = errorBody(err);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...ctx.replyHeaders,
    'server-timing': errorServerTiming(ctx),
  };
  if (err.headers) Object.assign(headers, err.headers);
  res.writeHead(err.status, headers);
  res.end(body);
}

/**
 * The explicit end of an interrupted stream: one SSE event carrying an OpenAI-shaped error and
 * no `[DONE]`, so no client mistakes a cut stream for a finished one.
 */
export function sseErrorEvent(message: string, partialEvent: boolean): string {
  const payload = JSON.stringify({
    error: { message, type: 'upstream_error', param: null, code: 'upstream_stream_interrupted' },
  });
  return `${partialEvent ? '\n\n' : ''}data: ${payload}\n\n`;
}
