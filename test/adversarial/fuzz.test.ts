import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicErrorType, geminiErrorStatus } from '../../src/core/error-shapes';
import { ERROR_TABLE } from '../../src/core/errors';
import { rawRequest } from '../helpers/raw-http';
import { type FuzzCase, fuzzCase, rawBytes } from './fuzz-cases';
import { Adversary, expectForwarded, type HealthSnapshot } from './harness';

/**
 * A seeded fuzzer: generated requests (method, target, headers, body shapes, content types,
 * framing) over raw sockets and fetch, against the adversarial setup. Afterwards: 0 crashes,
 * 0 unexpected 5xx, 0 gateway errors outside the OpenAI shape, 0 changed health states, 0
 * secrets in any output. `SWITCHYARD_FUZZ_RUNS` sets the case count, `SWITCHYARD_FUZZ_SEED` the seed.
 */
const RUNS = Number(process.env.SWITCHYARD_FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.SWITCHYARD_FUZZ_SEED ?? 20_261_201);
const CHECK_ALIVE_EVERY = 250;

interface Outcome {
  readonly status: number;
  readonly body: string;
  /** Why fetch itself refused to send the request (not the gateway's doing). */
  readonly refusedByClient?: string;
}

interface Tally {
  cases: number;
  statuses: Map<number, number>;
  crashes: number;
  unexpected5xx: string[];
  badShapes: string[];
  unanswered: string[];
  refusedByClient: number;
}

async function send(adv: Adversary, c: FuzzCase): Promise<Outcome> {
  if (c.transport === 'raw') {
    const answer = await rawRequest(adv.url, rawBytes(c));
    adv.answers.push(answer.raw);
    return { status: answer.status, body: answer.body };
  }
  let request: Request;
  try {
    request = new Request(`${adv.url}${c.target}`, {
      method: c.method,
      headers: c.headers.map(([name, value]) => [name, value]),
      body: c.body ?? undefined,
    });
  } catch (err) {
    return { status: -1, body: '', refusedByClient: (err as Error).message };
  }
  try {
    const response = await fetch(request);
    const body = await response.text();
    adv.keep(response.status, Object.fromEntries(response.headers), body);
    return { status: response.status, body };
  } catch (err) {
    return { status: 0, body: String((err as Error).cause ?? err) };
  }
}

/** Any status ≥ 400 here is the gateway's (the mocks only answer 200): it must be in the table. */
function shapeProblem(c: FuzzCase, outcome: Outcome): string | undefined {
  if (outcome.status < 400 || c.method === 'HEAD') return undefined;
  try {
    const parsed = JSON.parse(outcome.body) as { type?: unknown; error: Record<string, unknown> };
    if (parsed.type === 'error') return anthropicShapeProblem(parsed.error, outcome.status);
    const { error } = parsed;
    if (typeof error.status === 'string') return geminiShapeProblem(error, outcome.status);
    const spec = ERROR_TABLE[error.code as keyof typeof ERROR_TABLE];
    if (!spec) return `unknown code ${String(error.code)}`;
    if (spec.status !== outcome.status || spec.type !== error.type)
      return `code ${String(error.code)} with ${outcome.status}`;
    if (typeof error.message !== 'string' || !('param' in error)) return 'incomplete error object';
    return undefined;
  } catch {
    return `not an OpenAI error: ${outcome.body.slice(0, 80)}`;
  }
}

/** Anthropic's shape, on `/v1/messages` paths (src/core/error-shapes.ts). */
function anthropicShapeProblem(error: Record<string, unknown>, status: number): string | undefined {
  if (error.type !== anthropicErrorType(status)) return `Anthropic type ${String(error.type)} with ${status}`;
  return typeof error.message === 'string' ? undefined : 'incomplete Anthropic error object';
}

/** Gemini's shape, on `/v1beta/…` paths (src/core/error-shapes.ts). */
function geminiShapeProblem(error: Record<string, unknown>, status: number): string | undefined {
  if (error.code !== status || error.status !== geminiErrorStatus(status))
    return `Gemini status ${String(error.status)} (code ${String(error.code)}) with ${status}`;
  return typeof error.message === 'string' ? undefined : 'incomplete Gemini error object';
}

function describeCase(c: FuzzCase, index: number, outcome: Outcome): string {
  const head = `#${index} ${c.transport} ${c.method} ${JSON.stringify(c.target).slice(0, 80)}`;
  return `${head} → ${outcome.status} ${outcome.body.slice(0, 120)}`;
}

function changedStates(before: HealthSnapshot, after: HealthSnapshot): number {
  let changed = 0;
  for (const group of ['upstreams', 'keys'] as const) {
    for (const [name, state] of Object.entries(before[group])) {
      if (JSON.stringify(state) !== JSON.stringify(after[group][name])) changed++;
    }
  }
  return changed;
}

async function alive(adv: Adversary): Promise<boolean> {
  try {
    return (await fetch(`${adv.url}/health`)).status === 200;
  } catch {
    return false;
  }
}

describe(`fuzz: ${RUNS} generated requests, seed ${SEED}`, () => {
  let adv: Adversary;
  let before: HealthSnapshot;
  const tally: Tally = {
    cases: 0,
    statuses: new Map(),
    crashes: 0,
    unexpected5xx: [],
    badShapes: [],
    unanswered: [],
    refusedByClient: 0,
  };

  beforeAll(async () => {
    adv = await Adversary.start();
    before = adv.health();
  });
  afterAll(async () => {
    await adv.stop();
  });

  it(
    'no crash, no unexpected 5xx, no error outside the OpenAI shape, no changed health, no secret',
    async () => {
      const cases = fc.sample(fuzzCase, { seed: SEED, numRuns: RUNS });
      for (const [index, c] of cases.entries()) {
        const outcome = await send(adv, c);
        tally.cases++;
        if (outcome.refusedByClient !== undefined) {
          tally.refusedByClient++;
          continue;
        }
        tally.statuses.set(outcome.status, (tally.statuses.get(outcome.status) ?? 0) + 1);
        if (outcome.status === 0) tally.unanswered.push(describeCase(c, index, outcome));
        if (outcome.status >= 500 && !explained5xx(c, outcome.status))
          tally.unexpected5xx.push(describeCase(c, index, outcome));
        const problem = shapeProblem(c, outcome);
        if (problem) tally.badShapes.push(`${problem}: ${describeCase(c, index, outcome)}`);
        if (index % CHECK_ALIVE_EVERY === CHECK_ALIVE_EVERY - 1 && !(await alive(adv))) {
          tally.crashes++;
          break;
        }
      }
      if (!(await alive(adv))) tally.crashes++;
      console.log('DEBUG', adv.gw.gateway.inFlight, adv.gw.gateway.pendingAccounts);
      const changed = changedStates(before, adv.health());
      // Failed admin keys from the fuzzer block this address for a minute: let the minute pass.
      adv.clock.now += 61_000;
      expectForwarded(await adv.post('/v1/chat/completions', '{"model":"gpt-4o","messages":[]}'));
      const leaks = await adv.countLeaks();
      const statuses = [...tally.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`);
      console.log(
        `fuzz: ${tally.cases} cases (seed ${SEED}; ${tally.refusedByClient} refused by fetch itself), ` +
          `statuses {${statuses.join(' ')}}, crashes ${tally.crashes}, unexpected 5xx ${tally.unexpected5xx.length}, ` +
          `unanswered ${tally.unanswered.length}, bad error shapes ${tally.badShapes.length}, ` +
          `changed health states ${changed}, secrets found ${leaks}`,
      );
      expect(tally.crashes).toBe(0);
      expect(tally.unexpected5xx.slice(0, 5)).toEqual([]);
      expect(tally.unanswered.slice(0, 5)).toEqual([]);
      expect(tally.badShapes.slice(0, 5)).toEqual([]);
      expect(changed).toBe(0);
      await adv.expectHealthUnchanged(before);
      expect(leaks).toBe(0);
    },
    Math.max(120_000, RUNS * 30),
  );
});

/**
 * The one 5xx a case can explain: 501 `unsupported_transfer_encoding` for a transfer coding
 * besides chunked (`gzip, chunked`), which the gateway refuses at the edge (RFC 9112 §6.1).
 */
function explained5xx(c: FuzzCase, status: number): boolean {
  const coding = c.headers.find(([name]) => name.toLowerCase() === 'transfer-encoding')?.[1];
  return status === 501 && coding !== undefined && coding.trim().toLowerCase() !== 'chunked';
}
