import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, GatewayError } from '../core/errors';
import { type ConsoleAsset, defaultConsoleDir, loadConsoleAssets } from './console-assets';
import type { AdminRouter, AdminVia } from './router';

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

let cached: ReadonlyMap<string, ConsoleAsset> | undefined;

/** The built console, read once it is there (from `dist/ui`). */
function assets(): ReadonlyMap<string, ConsoleAsset> {
  if (!cached?.size) cached = loadConsoleAssets(defaultConsoleDir());
  return cached;
}

/**
 * Serves the web console at `/ui/` wherever the admin API is served, and only while an admin
 * key is set. The files are public (they hold no data); every figure they show comes from the
 * admin API, which asks for the key the operator signs in with.
 */
export function serveConsole(
  router: AdminRouter,
  req: IncomingMessage,
  res: ServerResponse,
  replyHeaders: Record<string, string>,
  via: AdminVia,
): void {
  const path = (req.url ?? '/').split('?')[0]!;
  try {
    if (via === 'public' && !router.servesPublic) throw new GatewayError('not_found');
    if (!router.enabled) throw new GatewayError('admin_disabled');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new GatewayError('method_not_allowed');
    if (path === '/ui') {
      res.writeHead(301, { location: '/ui/', 'content-length': '0', ...replyHeaders });
      res.end();
      return;
    }
    sendAsset(req, res, findAsset(path.slice('/ui/'.length)), replyHeaders);
  } catch (err) {
    const error = err instanceof GatewayError ? err : new GatewayError('internal_error', { cause: err });
    const body = errorBody(error);
    res.writeHead(error.status, { 'content-type': 'application/json', ...replyHeaders, ...error.headers });
    res.end(body);
  }
}

function findAsset(name: string): ConsoleAsset {
  const all = assets();
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
  req: IncomingMessage,
  res: ServerResponse,
  asset: ConsoleAsset,
  replyHeaders: Record<string, string>,
): void {
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? asset.gzip : asset.body;
  res.writeHead(200, {
    'content-type': asset.contentType,
    'content-length': String(body.length),
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    ...SECURITY_HEADERS,
    ...replyHeaders,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
