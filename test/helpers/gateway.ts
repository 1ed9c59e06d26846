import { Writable } from 'node:stream';
import OpenAI from 'openai';
import { serveFetch } from '../../src/adapter/fetch/serve';
import { createLogger } from '../../src/adapter/node/logger';
import { type RunningGateway, type StartOptions, startGateway } from '../../src/adapter/node/start';
import { type ConfigInput, configSchema } from '../../src/config/schema/index';
import { inlineSource } from '../../src/config/source';
import { Redactor } from '../../src/observe/redact';

export interface TestGateway extends RunningGateway {
  /** Every log line written, as text. */
  readonly logs: string[];
  client(apiKey?: string, options?: Partial<ConstructorParameters<typeof OpenAI>[0]>): OpenAI;
  /** The same client, served in-process (`serveFetch`): no listener, no socket. */
  inProcessClient(apiKey?: string, options?: Partial<ConstructorParameters<typeof OpenAI>[0]>): OpenAI;
  /** `fetch` served in-process by the gateway; any origin will do. */
  fetchInProcess(url: string, init?: RequestInit): Promise<Response>;
}

/** How a test reaches the gateway: over a real socket, or in-process through `serveFetch`. */
export type Transport = 'socket' | 'in-process';

/** The OpenAI client for a test that runs the same cases over a socket and in-process. */
export function clientFor(
  gw: TestGateway,
  via: Transport,
  apiKey?: string,
  options?: Partial<ConstructorParameters<typeof OpenAI>[0]>,
): OpenAI {
  return via === 'socket' ? gw.client(apiKey, options) : gw.inProcessClient(apiKey, options);
}

/** Starts a gateway on port 0 with the given config and a log collector instead of stdout. */
export async function startTestGateway(
  input: ConfigInput,
  options: Omit<StartOptions, 'config'> = {},
): Promise<TestGateway> {
  const base = {
    ...input,
    server: { host: '127.0.0.1', port: 0, ...input.server },
    store: input.store ?? { path: ':memory:' },
  };
  const config = configSchema.parse(base);
  const logs: string[] = [];
  const redactor = new Redactor();
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'info', format: 'json', redactor, destination });
  const control = { source: inlineSource(base, 'test configuration'), env: {}, ...options.control };
  const running = await startGateway({ config, logger, redactor, port: 0, ...options, control });
  const fetchInProcess = (url: string, init?: RequestInit) =>
    serveFetch(running.gateway, new Request(url, init), '127.0.0.1');
  return {
    ...running,
    logs,
    fetchInProcess,
    client: (apiKey = 'sk-client-unused', extra = {}) =>
      new OpenAI({ apiKey, baseURL: `${running.url}/v1`, maxRetries: 0, timeout: 10_000, ...extra }),
    inProcessClient: (apiKey = 'sk-client-unused', extra = {}) =>
      new OpenAI({
        apiKey,
        baseURL: 'http://in-process.test/v1',
        maxRetries: 0,
        timeout: 10_000,
        fetch: (url, init) => fetchInProcess(String(url), init),
        ...extra,
      }),
  };
}
