import { describe, expect, it } from 'vitest';
import { type ConfigInput, configSchema } from '../config/schema/index';
import { RequestContext } from '../core/context';
import { GatewayError } from '../core/errors';
import { createUpstream } from '../routing/upstream';
import { GatewayAccess } from './access';

const KEY = 'sk-sy-alice-0123456789abcdef';

function config(input: ConfigInput) {
  return configSchema.parse({ store: { path: ':memory:' }, ...input });
}

function context(json?: Record<string, unknown>): RequestContext {
  const ctx = new RequestContext('id', 'POST', '/v1/chat/completions', 'h', '127.0.0.1', 'ua', 0, {});
  ctx.json = json;
  ctx.model = typeof json?.model === 'string' ? json.model : undefined;
  return ctx;
}

async function refusal(run: () => Promise<void>): Promise<string | undefined> {
  try {
    await run();
  } catch (err) {
    if (err instanceof GatewayError) return err.code;
    throw err;
  }
  return undefined;
}

/** A request that carries these headers (lower-case names). */
function headersOf(headers: Record<string, string>): { header(name: string): string | undefined } {
  return { header: (name) => headers[name] };
}

describe('GatewayAccess', () => {
  it('keeps in-flight counts across a reload and takes new clients from it', async () => {
    const access = new GatewayAccess(
      config({ clients: [{ name: 'alice', key: KEY, limits: { concurrency: 1 } }] }),
    );
    const first = context({ model: 'm' });
    access.identify(first, headersOf({ authorization: `Bearer ${KEY}` }));
    await access.admit(first);
    access.configure(
      config({
        clients: [
          { name: 'alice', key: KEY, limits: { concurrency: 1 } },
          { name: 'bob', key: 'sk-sy-bob-0123456789abcdef00' },
        ],
      }),
    );
    const second = context({ model: 'm' });
    access.identify(second, headersOf({ authorization: `Bearer ${KEY}` }));
    expect(await refusal(() => access.admit(second))).toBe('concurrency_limit_exceeded');
    access.release(second);
    access.release(first);
    access.release(first);
    expect(await access.limiter.inFlight('alice')).toBe(0);
    const bob = context();
    access.identify(bob, headersOf({ 'x-api-key': 'sk-sy-bob-0123456789abcdef00' }));
    expect(bob.client?.name).toBe('bob');
  });

  it('claims upstream keys within their TPM and corrects the claim with the real count', async () => {
    let now = 1_000_000;
    const cfg = config({
      upstreams: [
        { name: 'u', url: 'http://127.0.0.1:9', keys: ['sk-key-aaaaaaaa'], key_limits: { tpm: 1000 } },
      ],
    });
    const access = new GatewayAccess(cfg, { now: () => now });
    const upstream = createUpstream(cfg.upstreams[0]!, cfg.health, Math.random);
    const key = upstream.keys.keys[0]!;
    const claimed = async (maxTokens: number) => {
      const ctx = context({ model: 'm', messages: [], max_tokens: maxTokens });
      await access.admit(ctx);
      return { ctx, ok: access.keyGate.claim(ctx, upstream, key) };
    };
    const a = await claimed(700);
    expect(a.ok).toBe(true);
    expect((await claimed(400)).ok).toBe(false);
    a.ctx.key = key;
    a.ctx.status = 200;
    a.ctx.attempts.push({
      upstream: 'u',
      key: null,
      keyId: key.id,
      status: 200,
      verdict: 'success',
      durationMs: 1,
    });
    a.ctx.admission!.meter!.onBody(
      Buffer.from('{"usage":{"prompt_tokens":5,"completion_tokens":5,"total_tokens":10}}'),
    );
    access.release(a.ctx);
    expect((await claimed(400)).ok).toBe(true);
    now += 60_001;
    expect((await claimed(990)).ok).toBe(true);
  });
});
