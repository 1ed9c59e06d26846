import { LeanTransport } from '../../src/adapter/node/lean/transport';
import { UndiciTransport } from '../../src/adapter/node/transport';
import type { HeaderRecord } from '../../src/http/types';
import type {
  Transport,
  UpstreamController,
  UpstreamHandler,
  UpstreamRequest,
} from '../../src/proxy/transport';
import type { Upstream } from '../../src/routing/upstream';

/** What one dispatch produced, in the order the handler saw it. */
export interface Outcome {
  readonly events: string[];
  readonly status: number;
  readonly headers: HeaderRecord;
  readonly body: Buffer;
  readonly error: (Error & { code?: string }) | undefined;
}

/** The transports under test, by name; `lean` may take options (a private CA). */
export const TRANSPORTS = {
  undici: () => new UndiciTransport(),
  lean: (options?: ConstructorParameters<typeof LeanTransport>[0]) => new LeanTransport(options),
} as const;

export type TransportName = keyof typeof TRANSPORTS;

export function request(extra: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return {
    path: '/v1/test',
    method: 'GET',
    headers: ['x-test', '1'],
    body: null,
    headersTimeout: 5_000,
    bodyTimeout: 5_000,
    ...extra,
  };
}

export interface Hooks {
  /** Called with the controller after each body chunk (pause, abort). */
  onData?(controller: UpstreamController, chunk: Uint8Array, received: number): void;
  onHead?(controller: UpstreamController): void;
}

/** Dispatches one request and resolves when the handler saw its end or its error. */
export function exchange(
  transport: Transport,
  upstream: Upstream,
  req: UpstreamRequest = request(),
  hooks: Hooks = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const events: string[] = [];
    const chunks: Buffer[] = [];
    let controller: UpstreamController | undefined;
    let status = 0;
    let headers: HeaderRecord = {};
    let received = 0;
    const done = (error?: Error) =>
      resolve({ events, status, headers, body: Buffer.concat(chunks), error: error as Outcome['error'] });
    const handler: UpstreamHandler = {
      onStart: (c) => {
        controller = c;
        events.push('start');
      },
      onHead: (s, h) => {
        status = s;
        headers = h;
        events.push(`head ${s}`);
        hooks.onHead?.(controller!);
      },
      onData: (chunk) => {
        chunks.push(Buffer.from(chunk));
        received += chunk.length;
        if (events.at(-1) !== 'data') events.push('data');
        hooks.onData?.(controller!, chunk, received);
      },
      onEnd: () => {
        events.push('end');
        done();
      },
      onError: (err) => {
        events.push('error');
        done(err);
      },
    };
    transport.dispatch(upstream, req, handler);
  });
}
