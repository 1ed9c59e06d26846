import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { databaseFiles, expectNoSecrets, findLeaks, gatewayOutput } from '../helpers/canary';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import {
  chatCompletion,
  type MockHandler,
  type MockUpstream,
  type SeenRequest,
  sendJson,
  startMock,
} from '../helpers/mock-upstream';
import { type RawRequestOptions, type RawResponse, rawRequest } from '../helpers/raw-http';

/**
 * The setup every adversarial test attacks: a real gateway on port 0 with two healthy mock
 * upstreams (three keys each), `server.auth_keys`, an admin key, a client token with a 300-token
 * quota, a SQLite file, small client timeouts and an injected clock. Every answer a client gets is
 * kept for the secret scan.
 */
export const UPSTREAM_KEYS = [
  'sk-advA1-Qh7vZ2mK9pL4xR8tW1nB',
  'sk-advA2-Jc5dF8gH3kM6nP9qS2tV',
  'sk-advA3-Pb2nV5cX8zL1kJ4hG7fD',
  'sk-advB1-Wx4yZ7aB1cD5eF8gH2jK',
  'sk-advB2-Lm3nO6pQ9rS2tU5vW8xY',
  'sk-advB3-Tg6yH9uJ2iK5oL8pM1nB',
];
const KEYS_PER_UPSTREAM = 3;
export const AUTH_KEY = 'sk-gw-auth-Rt6yU9iO2pA5sD8fG1hJ';
export const CLIENT_TOKEN = 'sk-client-Zx3cV6bN9mQ2wE5rT8yU';
export const ADMIN_KEY = 'admin-Kj4hG7fD1sA3zX6cV9bN2mQ5';
export const SECRETS = [...UPSTREAM_KEYS, AUTH_KEY, CLIENT_TOKEN, ADMIN_KEY];
export const QUOTA_TOKENS = 300;

/** A healthy OpenAI-like upstream: 200 for everything, whatever the body (it never throws). */
export const healthyUpstream: MockHandler = (req, res) => {
  if (req.url.endsWith('/v1/models')) {
    sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-4o', object: 'model', owned_by: 'test' }] });
    return;
  }
  let model = 'gpt-4o';
  try {
    const parsed = JSON.parse(req.body.toString('utf8')) as { model?: unknown };
    if (typeof parsed.model === 'string') model = parsed.model.slice(0, 64);
  } catch {
    // not JSON: an upload the gateway passed on unread
  }
  sendJson(res, 200, chatCompletion(model, 'ok'));
};

/** The state of every upstream and key, from the real registry (independent of the clock). */
export interface HealthSnapshot {
  readonly upstreams: Record<string, unknown>;
  readonly keys: Record<string, unknown>;
}

export interface ClientAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
}

export class Adversary {
  /** Every answer a client got: status, headers and body. */
  readonly answers: string[] = [];
  private constructor(
    /** The injected wall clock (admin key failures, quotas, cooldowns). */
    readonly clock: { now: number },
    readonly gw: TestGateway,
    readonly mocks: MockUpstream[],
    /** Every request the mocks saw, in the order they arrived. */
    readonly seen: SeenRequest[],
    private readonly dir: string,
  ) {}

  static async start(): Promise<Adversary> {
    const seen: SeenRequest[] = [];
    const handler: MockHandler = (req, res) => {
      seen.push(req);
      return healthyUpstream(req, res);
    };
    const mocks = [await startMock(handler), await startMock(handler)];
    const dir = mkdtempSync(join(tmpdir(), 'sy-adversarial-'));
    const clock = { now: Date.UTC(2026, 5, 1, 12) };
    const gw = await startTestGateway(
      {
        server: {
          auth_keys: [AUTH_KEY],
          max_body_size: '1mb',
          timeouts: { headers: '1s', body_idle: '1s', body: '2s', keep_alive: '500ms' },
        },
        admin: { key: ADMIN_KEY },
        store: { path: join(dir, 'switchyard.db') },
        retry: { backoff: 0 },
        upstreams: mocks.map((mock, i) => ({
          name: `up${i}`,
          url: mock.url,
          keys: UPSTREAM_KEYS.slice(i * KEYS_PER_UPSTREAM, (i + 1) * KEYS_PER_UPSTREAM),
        })),
        clients: [{ name: 'small', key: CLIENT_TOKEN, quota: { tokens: QUOTA_TOKENS, period: 'month' } }],
        routes: [
          { name: 'banned', match: { model: 'banned-*' }, reject: { message: 'This model is banned.' } },
          { name: 'no-files', match: { path: '/v1/files/**' }, reject: true },
          { name: 'main', upstreams: ['up0', 'up1'] },
        ],
      },
      { now: () => clock.now },
    );
    return new Adversary(clock, gw, mocks, seen, dir);
  }

  get url(): string {
    return this.gw.url;
  }

  async stop(): Promise<void> {
    await this.gw.stop(1000);
    for (const mock of this.mocks) await mock.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Upstream requests the mocks have seen. */
  upstreamRequests(): number {
    return this.seen.length;
  }

  /** The last request an upstream saw. */
  lastSeen(): SeenRequest {
    const last = this.seen.at(-1);
    if (!last) throw new Error('no upstream request yet');
    return last;
  }

  /** A request through fetch, with the gateway's auth key unless `authorization` is given. */
  async fetch(
    path: string,
    init: RequestInit & { headers?: Record<string, string> } = {},
  ): Promise<ClientAnswer> {
    const headers = { authorization: `Bearer ${AUTH_KEY}`, ...init.headers };
    const response = await fetch(`${this.url}${path}`, { ...init, headers });
    const answer = {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      text: await response.text(),
    };
    this.keep(answer.status, answer.headers, answer.text);
    return answer;
  }

  /** A POST of `body` (bytes as given) with a content type. */
  post(path: string, body: string | Uint8Array, contentType: string | null = 'application/json') {
    const headers: Record<string, string> = {};
    if (contentType !== null) headers['content-type'] = contentType;
    const payload = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    return this.fetch(path, { method: 'POST', headers, body: payload });
  }

  /** Bytes on a raw socket, read until the gateway closes the connection. */
  async raw(head: string | Buffer, options?: RawRequestOptions): Promise<RawResponse> {
    const answer = await rawRequest(this.url, head, options);
    this.answers.push(answer.raw);
    return answer;
  }

  keep(status: number, headers: Record<string, string>, text: string): void {
    this.answers.push(`${status} ${JSON.stringify(headers)} ${text}`);
  }

  /** Key and upstream health from the real registry. */
  health(): HealthSnapshot {
    const upstreams: Record<string, unknown> = {};
    const keys: Record<string, unknown> = {};
    for (const upstream of this.gw.gateway.runtime.upstreams.values()) {
      const u = this.gw.registry.peekUpstream(upstream.name);
      upstreams[upstream.name] = {
        status: u?.status ?? 'healthy',
        consecutiveFaults: u?.consecutiveFaults ?? 0,
        ejections: u?.ejections ?? 0,
        faults: u?.faults ?? 0,
        probeDown: u?.probeDown ?? false,
      };
      for (const key of upstream.keys.keys) {
        const k = this.gw.registry.peekKey(upstream.name, key.id);
        keys[`${upstream.name}/${key.id}`] = {
          status: k?.status ?? 'active',
          consecutiveInvalid: k?.consecutiveInvalid ?? 0,
          consecutiveRateLimits: k?.consecutiveRateLimits ?? 0,
          consecutiveFailures: k?.consecutiveFailures ?? 0,
        };
      }
    }
    return { upstreams, keys };
  }

  /**
   * Asserts that no key and no upstream changed state: through the registry, `/admin/health`
   * and `/admin/upstreams/:name/keys` (every key still enabled).
   */
  async expectHealthUnchanged(before: HealthSnapshot): Promise<void> {
    expect(this.health()).toEqual(before);
    const health = await this.admin<{ upstreams: { name: string; state: string; usable: boolean }[] }>(
      '/admin/health',
    );
    expect(health.upstreams.map((u) => [u.name, u.state, u.usable])).toEqual([
      ['up0', 'healthy', true],
      ['up1', 'healthy', true],
    ]);
    for (const name of ['up0', 'up1']) {
      const list = await this.admin<{ keys: { enabled: boolean }[] }>(`/admin/upstreams/${name}/keys`);
      expect(list.keys.map((k) => k.enabled)).toEqual(Array(KEYS_PER_UPSTREAM).fill(true));
    }
  }

  /** An admin GET with the admin key (kept for the secret scan). */
  async admin<T>(path: string): Promise<T> {
    const response = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const text = await response.text();
    expect(response.status, `${path}: ${text}`).toBe(200);
    this.answers.push(text);
    return JSON.parse(text) as T;
  }

  /** Every place a secret could show: client answers, logs, the database files, metrics, admin. */
  async outputs(): Promise<Record<string, string | Buffer | readonly string[]>> {
    const requests = await this.admin<unknown>('/admin/requests?limit=1000');
    return {
      'client answers': this.answers,
      logs: this.gw.logs,
      'request log (admin)': JSON.stringify(requests),
      ...(await gatewayOutput(this.url, ADMIN_KEY)),
      ...databaseFiles(join(this.dir, 'switchyard.db')),
    };
  }

  async expectNoSecrets(): Promise<void> {
    expectNoSecrets(SECRETS, await this.outputs());
  }

  /** How many pieces of secrets the outputs hold (the fuzzer's count). */
  async countLeaks(): Promise<number> {
    return findLeaks(SECRETS, await this.outputs()).length;
  }
}

/** The request reached an upstream and its healthy answer came back. */
export function expectForwarded(answer: { status: number }, label = ''): void {
  expect(answer.status, label).toBe(200);
}

/** The OpenAI error shape with the table's code: `{"error":{"message","type","param","code"}}`. */
export function expectGatewayError(text: string, code: string, type = 'invalid_request_error'): void {
  const body = JSON.parse(text) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(body.error).toMatchObject({ type, code });
  expect(body.error.message).toEqual(expect.stringMatching(/\S/));
}
