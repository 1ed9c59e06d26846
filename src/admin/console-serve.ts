import { errorBody, GatewayError } from '../core/errors';
import { writeJson } from '../core/reply';
import { type ClientRequest, type ClientSink, flatten } from '../http/types';
import type { ConsoleAsset, ConsoleAssets } from './console-asset';
import type { AdminRouter, AdminVia } from './router';

export type { ConsoleAsset, ConsoleAssets } from './console-asset';

/**
 * The console's only sources are its own files and the admin API on the same origin: no inline
 * script or style, no third-party request, never framed.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

export function isConsolePath(path: string): boolean {
  return path === '/ui' || path.startsWith('/ui/');
}

/**
 * Serves the web console at `/ui/` wherever the admin API is served, and only while an admin
 * key is set. The files are public (they hold no data); every figure they show comes from the
 * admin API, which asks for the key the operator signs in with.
 */
export function serveConsole(
  router: AdminRouter,
  req: ClientRequest,
  sink: ClientSink,
  replyHeaders: Record<string, string>,
  via: AdminVia,
  target: string = req.target,
): void {
  const path = target.split('?')[0]!;
  try {
    if (via === 'public' && !router.servesPublic) throw new GatewayError('not_found');
    if (!router.enabled) throw new GatewayError('admin_disabled');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new GatewayError('method_not_allowed');
    if (path === '/ui') {
      sink.writeHead(301, flatten({ location: '/ui/', 'content-length': '0', ...replyHeaders }));
      sink.end();
      return;
    }
    sendAsset(req, sink, findAsset(router.consoleAssets, path.slice('/ui/'.length)), replyHeaders);
  } catch (err) {
    const error = err instanceof GatewayError ? err : new GatewayError('internal_error', { cause: err });
    writeJson(sink, error.status, errorBody(error), replyHeaders, undefined, error.headers);
  }
}

function findAsset(assets: ConsoleAssets | undefined, name: string): ConsoleAsset {
  const all = assets?.() ?? new Map<string, ConsoleAsset>();
  if (all.size === 0) {
    throw new GatewayError('not_found', {
      message: 'The web console was not built: run `npm run build` (npm install does it).',
    });
  }
  const asset = all.get(name === '' ? 'index.html' : name);
  if (!asset) throw new GatewayError('not_found');
  return asset;
}

function sendAsset(
  req: ClientRequest,
  sink: ClientSink,
  asset: ConsoleAsset,
  replyHeaders: Record<string, string>,
): void {
  const gzip = /\bgzip\b/.test(req.header('accept-encoding') ?? '');
  const body = gzip ? asset.gzip : asset.body;
  const headers = {
    'content-type': asset.contentType,
    'content-length': String(body.length),
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    ...SECURITY_HEADERS,
    ...replyHeaders,
  };
  sink.writeHead(200, flatten(headers));
  sink.end(req.method === 'HEAD' ? undefined : body);
}
