import { byteLength } from '../http/bytes';
import type { ClientSink } from '../http/types';
import { errorServerTiming } from '../observe/server-timing';
import type { RequestContext } from './context';
import { clientErrorBody } from './error-shapes';
import { errorBody, type GatewayError } from './errors';

/** Sends a JSON answer the gateway made itself, with the request's own headers. */
export function sendJson(sink: ClientSink, ctx: RequestContext, status: number, value: unknown): void {
  ctx.status = status;
  writeJson(sink, status, JSON.stringify(value), ctx.replyHeaders, errorServerTiming(ctx));
}

/**
 * Sends an error the gateway itself made, with the request's own headers: in the client API's
 * shape where src/core/error-shapes.ts has one for the path (Anthropic's), else OpenAI's.
 */
export function sendError(sink: ClientSink, ctx: RequestContext, err: GatewayError): void {
  ctx.status = err.status;
  ctx.error ??= `${err.code}: ${err.detail ?? err.message}`;
  if (sink.headersSent || sink.closed) return;
  const body = clientErrorBody(err, ctx.path, ctx.id) ?? errorBody(err);
  writeJson(sink, err.status, body, ctx.replyHeaders, errorServerTiming(ctx), err.headers);
}

/** Writes a complete JSON response: type, length, the given headers, the body. */
export function writeJson(
  sink: ClientSink,
  status: number,
  body: string,
  headers: Readonly<Record<string, string>>,
  serverTiming?: string,
  extra?: Readonly<Record<string, string>>,
): void {
  const flat = ['content-type', 'application/json', 'content-length', String(byteLength(body))];
  const merged = extra ? { ...headers, ...extra } : headers;
  for (const name in merged) flat.push(name, merged[name]!);
  if (serverTiming && !(extra && 'server-timing' in extra)) flat.push('server-timing', serverTiming);
  sink.writeHead(status, flat);
  sink.end(body);
}
