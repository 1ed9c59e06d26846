import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProbeHealth } from '../../test/helpers/probe-health';
import { testUpstream } from '../../test/helpers/routing';
import { UpstreamStats } from '../routing/upstream-stats';
import { ActiveHealthChecks } from './active-checks';
import { DueClock } from './due';
import { KeepAlivePings } from './keepalive';
import type { ProbeRequest, ProbeSender } from './probe';

const MINUTE = 60_000;

describe('running the checks and pings that are due (Cron-driven runtimes)', () => {
  let now: number;
  let sent: string[];
  let clock: DueClock;
  let checks: ActiveHealthChecks;
  let pings: KeepAlivePings;

  beforeEach(() => {
    vi.useFakeTimers();
    now = Date.UTC(2026, 0, 1);
    sent = [];
    clock = new DueClock(() => now);
    const send: ProbeSender = async (upstream, request: ProbeRequest) => {
      sent.push(`${upstream.name} ${request.path}`);
      return { status: 200, ttfbMs: 1, snippet: '' };
    };
    const deps = {
      clock,
      send,
      health: new ProbeHealth(),
      stats: new UpstreamStats(() => now),
      logger: pino({ level: 'silent' }),
    };
    checks = new ActiveHealthChecks(deps);
    pings = new KeepAlivePings(deps);
    const checked = testUpstream('checked', { health_check: { path: '/probe', interval: '5m' } });
    const sleepy = testUpstream('sleepy', { keepalive: { path: '/wake', interval: '10m' } });
    checks.sync([checked, sleepy]);
    pings.sync([checked, sleepy]);
  });

  afterEach(() => {
    checks.stop();
    pings.stop();
    vi.useRealTimers();
  });

  const runDue = () => clock.during(() => Promise.all([checks.runDue(now), pings.runDue(now)]));

  it('sends nothing on its own between runs, even when the timers come due', async () => {
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(sent).toEqual([]);
  });

  it('runs a new schedule at the first run, then each one when its interval passed', async () => {
    expect(await runDue()).toEqual([1, 1]);
    expect(sent).toEqual(['checked /probe', 'sleepy /wake']);
    now += MINUTE;
    expect(await runDue()).toEqual([0, 0]);
    now += 4 * MINUTE;
    expect(await runDue()).toEqual([1, 0]);
    now += 5 * MINUTE;
    expect(await runDue()).toEqual([1, 1]);
    expect(sent).toEqual([
      'checked /probe',
      'sleepy /wake',
      'checked /probe',
      'checked /probe',
      'sleepy /wake',
    ]);
  });

  it('lets a probe time out during a run', async () => {
    const hanging: ProbeSender = (_upstream, _request, signal) =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const slow = new ActiveHealthChecks({
      clock,
      send: hanging,
      health: new ProbeHealth(),
      stats: new UpstreamStats(() => now),
      logger: pino({ level: 'silent' }),
    });
    slow.sync([testUpstream('slow', { health_check: { timeout: '2s', unhealthy_threshold: 1 } })]);
    const run = clock.during(() => slow.runDue(now));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await run).toBe(1);
    expect(slow.report()[0]!.last?.error).toBe('no answer within 2000 ms');
    slow.stop();
  });
});
