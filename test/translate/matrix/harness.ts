/**
 * One gateway in front of four mock upstreams, one per `format`, each replaying its fixtures;
 * a route per format by model name (`matrix-<format>`); and a `fetch` for the SDKs that keeps a
 * copy of every answer's bytes, so the validators see the very stream the SDK read.
 */
import type { ServerResponse } from 'node:http';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import {
  type MockUpstream,
  type SeenRequest,
  sendJson,
  startMock,
  startSse,
} from '../../helpers/mock-upstream';
import { ANTHROPIC } from './fixtures/anthropic';
import { GEMINI } from './fixtures/gemini';
import { OPENAI_CHAT } from './fixtures/openai-chat';
import { RESPONSES } from './fixtures/responses';
import {
  type Fixtures,
  HISTORY,
  modelFor,
  RESULTS,
  type Scenario,
  UPSTREAMS,
  type UpstreamFormat,
} from './scenarios';

export const GATEWAY_KEY = 'sk-matrix-gateway-key-0001';

/** The fixtures a request to `url` is answered from; undefined when that format does not serve it. */
function fixturesFor(format: UpstreamFormat, url: string): Fixtures | undefined {
  if (url.startsWith('/v1/chat/completions')) return format.startsWith('openai') ? OPENAI_CHAT : undefined;
  if (url.startsWith('/v1/responses')) return format === 'openai' ? RESPONSES : undefined;
  if (url.startsWith('/v1/messages')) return format === 'anthropic' ? ANTHROPIC : undefined;
  if (url.startsWith('/v1beta/models/')) return format === 'gemini' ? GEMINI : undefined;
  return undefined;
}

function replay(format: UpstreamFormat) {
  return (req: SeenRequest, res: ServerResponse): void => {
    const fixtures = fixturesFor(format, req.url);
    const named = /\[scenario:(\w+)\]/.exec(req.body.toString())?.[1];
    // A second turn (signed thinking or tool results in its history) is answered like a text turn.
    const scenario = (named === HISTORY || named === RESULTS ? 'text' : named) as Scenario | undefined;
    if (!fixtures || !scenario) {
      sendJson(res, 404, { error: { message: `no ${format} fixture for ${req.url}` } });
      return;
    }
    const fixture = fixtures[scenario];
    const stream =
      req.url.includes(':streamGenerateContent') || req.json<{ stream?: boolean }>().stream === true;
    if (scenario === 'cut' && !stream) {
      // A held answer cut off: half its body, then the connection drops.
      const text = JSON.stringify(fixture.held);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length) });
      res.write(text.slice(0, text.length >> 1), () => res.destroy());
      return;
    }
    if (fixture.status !== undefined || !stream) {
      sendJson(res, fixture.status ?? 200, fixture.held);
      return;
    }
    startSse(res);
    const events = fixture.stream;
    events.forEach((event, at) => {
      const last = at === events.length - 1;
      res.write(event, last && scenario === 'cut' ? () => res.destroy() : undefined);
    });
    if (scenario !== 'cut') res.end();
  };
}

/** The answers the gateway sent to the SDK, as text, in order. */
export interface Recorder {
  readonly fetch: typeof fetch;
  /** The text of the last answer (whole, once it ended); each answer is read once. */
  last(): Promise<string>;
}

export function recorder(): Recorder {
  let latest: Promise<string> | undefined;
  return {
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      latest = response.clone().text();
      return response;
    },
    async last() {
      const text = await latest;
      latest = undefined;
      if (!text) throw new Error('the SDK received no answer since the last one was read');
      return text;
    },
  };
}

export interface Matrix {
  readonly gateway: TestGateway;
  readonly mocks: Record<UpstreamFormat, MockUpstream>;
  /** The last request the mock of `format` saw, parsed. */
  seen(format: UpstreamFormat): { url: string; body: Record<string, unknown> };
  stop(): Promise<void>;
}

function upstreamOf(format: UpstreamFormat, url: string) {
  const name = `up-${format}`;
  if (format === 'anthropic')
    return { name, url, provider: 'anthropic' as const, keys: ['sk-ant-matrix-0001'] };
  return { name, url, format, keys: [`sk-${format}-matrix-0001`] };
}

export async function startMatrix(): Promise<Matrix> {
  const entries = await Promise.all(UPSTREAMS.map(async (f) => [f, await startMock(replay(f))] as const));
  const mocks = Object.fromEntries(entries) as Record<UpstreamFormat, MockUpstream>;
  const gateway = await startTestGateway({
    server: { auth_keys: [GATEWAY_KEY] },
    upstreams: UPSTREAMS.map((f) => upstreamOf(f, mocks[f].url)),
    routes: UPSTREAMS.map((f) => ({
      name: `to-${f}`,
      match: { model: modelFor(f) },
      upstreams: [`up-${f}`],
    })),
  });
  return {
    gateway,
    mocks,
    seen(format) {
      const request = mocks[format].requests.at(-1);
      if (!request) throw new Error(`the ${format} mock saw no request`);
      return { url: request.url, body: request.json() };
    },
    async stop() {
      await gateway.stop(1000);
      await Promise.all(Object.values(mocks).map((m) => m.close()));
    },
  };
}
