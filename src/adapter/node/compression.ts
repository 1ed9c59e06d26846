import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { brotliCompress, brotliDecompress, constants, gunzip, gzip, inflate } from 'node:zlib';
import { GatewayError } from '../../core/errors';

/** Bodies smaller than this are sent as they are: compressing them saves nothing. */
export const COMPRESS_THRESHOLD = 1024;

/** JSON (the gateway's own and held upstream answers) and plain text (`/metrics`); never SSE or NDJSON. */
const COMPRESSIBLE = /^\s*(?:application\/(?:json|[\w.-]+\+json)|text\/plain)\s*(?:;|$)/i;

type Encoding = 'br' | 'gzip';
type Decode = (
  body: Buffer,
  options: { maxOutputLength: number },
  done: (err: Error | null, out: Buffer) => void,
) => void;
type Method = (...args: unknown[]) => unknown;
type Head = [status: number, headers: OutgoingHttpHeaders | string[] | undefined];

/**
 * The encoding to answer with, from `Accept-Encoding`: Brotli, then gzip (q-values of 0 refuse
 * one; `*` accepts gzip). Undefined when the client accepts neither.
 */
export function chooseEncoding(accept: string | undefined): Encoding | undefined {
  if (!accept) return undefined;
  const q = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const weight = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    q.set(name!.trim(), weight === undefined ? 1 : Number(weight));
  }
  const accepts = (name: string) => (q.get(name) ?? (q.has('*') ? q.get('*')! : 0)) > 0;
  if (q.has('br') && accepts('br')) return 'br';
  if (accepts('gzip') || (q.get('x-gzip') ?? 0) > 0) return 'gzip';
  return undefined;
}

/**
 * Compresses the answer on `res` when the client accepts gzip or Brotli (`server.compression`):
 * a response whose head says compressible type, no `content-encoding` of its own, and whose
 * body, given whole to `end()`, is at least 1 kB. The head is held from `writeHead` to `end`;
 * anything written before `end` (a stream) releases it unchanged. Upstream-encoded answers,
 * SSE and other streams pass untouched. Only `res`'s own methods are wrapped: the gateway's
 * code does not know.
 */
export function compressResponse(req: IncomingMessage, res: ServerResponse): void {
  const encoding = chooseEncoding(req.headers['accept-encoding'] as string | undefined);
  if (!encoding || req.method === 'HEAD') return;
  const original = {
    writeHead: res.writeHead,
    write: res.write,
    end: res.end,
    flushHeaders: res.flushHeaders,
  };
  let held: Head | undefined;
  const call = (method: unknown, ...args: unknown[]): unknown => (method as Method).apply(res, args);
  const restore = (): void => {
    Object.assign(res, original);
  };
  const release = (): void => {
    restore();
    if (held) call(original.writeHead, held[0], held[1]);
    held = undefined;
  };
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = (typeof rest[0] === 'string' ? rest[1] : rest[0]) as Head[1];
    if (typeof rest[0] === 'string' || !eligible(status, headers, res)) {
      restore();
      return call(original.writeHead, status, ...rest);
    }
    held = [status, headers];
    return res;
  }) as ServerResponse['writeHead'];
  res.write = ((...args: unknown[]) => {
    release();
    return call(original.write, ...args);
  }) as ServerResponse['write'];
  res.flushHeaders = () => {
    release();
    original.flushHeaders.call(res);
  };
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    const body = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : undefined;
    const head = held;
    if (!head || !body || body.length < COMPRESS_THRESHOLD) {
      release();
      return call(original.end, chunk, ...rest);
    }
    held = undefined;
    restore();
    compress(body, encoding, (err, out) => {
      if (res.destroyed) return;
      if (err) {
        call(original.writeHead, head[0], head[1]);
        call(original.end, body);
        return;
      }
      call(original.writeHead, head[0], encoded(head[1], res, encoding, out.length));
      call(original.end, out);
    });
    return res;
  }) as ServerResponse['end'];
}

function eligible(status: number, headers: Head[1], res: ServerResponse): boolean {
  if (status < 200 || status === 204 || status === 304) return false;
  const type = headerOf(headers, res, 'content-type');
  if (type === undefined || !COMPRESSIBLE.test(type)) return false;
  if (headerOf(headers, res, 'content-encoding') !== undefined) return false;
  const length = headerOf(headers, res, 'content-length');
  return length === undefined || Number(length) >= COMPRESS_THRESHOLD;
}

function headerOf(headers: Head[1], res: ServerResponse, name: string): string | undefined {
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() === name) return headers[i + 1];
  } else if (headers) {
    for (const key in headers) if (key.toLowerCase() === name) return String(headers[key]);
  }
  const set = res.getHeader(name);
  return set === undefined ? undefined : String(set);
}

/** The held head with the encoding, the compressed length and `vary: accept-encoding`. */
function encoded(headers: Head[1], res: ServerResponse, encoding: Encoding, length: number): string[] {
  res.removeHeader('content-length');
  const out: string[] = [];
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) {
      if (headers[i]!.toLowerCase() !== 'content-length') out.push(headers[i]!, headers[i + 1]!);
    }
  } else if (headers) {
    for (const key in headers) {
      const value = headers[key];
      if (key.toLowerCase() === 'content-length' || value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) out.push(key, item);
      else out.push(key, String(value));
    }
  }
  out.push('content-encoding', encoding, 'content-length', String(length), 'vary', 'accept-encoding');
  return out;
}

function compress(body: Buffer, encoding: Encoding, done: (err: Error | null, out: Buffer) => void): void {
  if (encoding === 'gzip') {
    gzip(body, { level: 6 }, done);
    return;
  }
  brotliCompress(
    body,
    {
      params: {
        // Quality 4: most of Brotli's gain over gzip at a fraction of the default (11)'s time.
        [constants.BROTLI_PARAM_QUALITY]: 4,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    },
    done,
  );
}

const DECODERS: Record<string, Decode | undefined> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflate,
  br: brotliDecompress,
};

/**
 * Decodes a request body sent with `Content-Encoding: gzip` (also `deflate`, `br`) before the
 * gateway reads it. The body size limit applies to the decoded bytes: a body that expands beyond
 * it (a zip bomb) is refused with 413 as soon as the limit is passed. Other encodings are left as
 * they are. Returns the body and the request headers to forward, without `content-encoding`.
 */
export async function decodeRequestBody(
  body: Uint8Array | null,
  contentEncoding: string | undefined,
  rawHeaders: readonly string[],
  limit: number,
): Promise<{ body: Uint8Array | null; rawHeaders: readonly string[] } | undefined> {
  const name = contentEncoding?.trim().toLowerCase();
  const decode = DECODERS[name ?? ''];
  if (!body || !decode) return undefined;
  const decoded = await new Promise<Buffer>((resolve, reject) => {
    decode(
      Buffer.from(body.buffer, body.byteOffset, body.byteLength),
      { maxOutputLength: Math.max(1, limit) },
      (err, out) => (err ? reject(err) : resolve(out)),
    );
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new GatewayError('request_too_large', {
        message: `The request body is larger than the gateway's limit of ${limit} bytes once decompressed (server.max_body_size).`,
      });
    }
    throw new GatewayError('invalid_request', {
      message: `The request body could not be decompressed (content-encoding: ${name}).`,
    });
  });
  const forwarded: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'content-encoding')
      forwarded.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return { body: decoded.length === 0 ? null : decoded, rawHeaders: forwarded };
}
