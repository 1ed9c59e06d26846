import { describe, expect, it } from 'vitest';
import { PrimaryUnavailable } from '../../src/adapter/node/cluster/channel';
import { IpcJobLock } from '../../src/adapter/node/cluster/fleet-stores';
import { primaryLiveState } from '../../src/adapter/node/cluster/live-state';
import { IpcRequestLogSink } from '../../src/adapter/node/cluster/request-log';
import { IpcConcurrencyStore } from '../../src/adapter/node/cluster/stores';
import type { Logger } from '../../src/observe/logger';
import type { LimitRule } from '../../src/state/limiter-store';
import { MemoryRequestLog } from '../../src/store/request-log/memory-request-log';
import { LoopbackCluster } from '../contracts/cluster';
import { requestRecordFixture } from '../helpers/request-record';

const rpm10: LimitRule = { algorithm: 'gcra', limit: 10, periodMs: 60_000 };

function collectingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => {};
  return {
    level: 'info',
    isLevelEnabled: () => true,
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: (fields: object | string, message?: string) => {
      warnings.push(typeof fields === 'string' ? fields : (message ?? ''));
    },
    warnings,
  };
}

describe('a worker’s state calls to the cluster primary', () => {
  it('shares one limit between workers through the primary', async () => {
    const cluster = new LoopbackCluster();
    const logger = collectingLogger();
    const a = primaryLiveState(cluster.join().channel, 2, logger);
    const b = primaryLiveState(cluster.join().channel, 2, logger);
    const takes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).limiter.take('client:rpm:x', rpm10, 1, 0)),
    );
    expect(takes.filter((t) => t.allowed).length).toBe(10);
    expect(logger.warnings).toEqual([]);
  });

  it('falls back to the worker’s share when the primary does not answer in time, warning once', async () => {
    const cluster = new LoopbackCluster();
    const { channel, link } = cluster.join(20);
    link.toPrimary = () => {}; // a primary that never answers
    const logger = collectingLogger();
    const state = primaryLiveState(channel, 2, logger);
    await expect(channel.call('limiter.peek', 'k', rpm10, 0)).rejects.toBeInstanceOf(PrimaryUnavailable);
    const takes = [];
    for (let i = 0; i < 8; i++) takes.push(await state.limiter.take('client:rpm:x', rpm10, 1, 0));
    // 10 a minute shared by 2 workers: 5 each while the primary is unreachable.
    expect(takes.map((t) => t.allowed)).toEqual([true, true, true, true, true, false, false, false]);
    expect(logger.warnings.length).toBe(1);
    expect(logger.warnings[0]).toMatch(/^cluster primary not answering/);
  });

  it('fails every waiting call at once when the primary is gone, and quotas close', async () => {
    const cluster = new LoopbackCluster();
    const { channel, link } = cluster.join(60_000);
    link.toPrimary = () => {};
    const gone: string[] = [];
    channel.goneListeners.push(() => gone.push('gone'));
    const waiting = channel.call('concurrency.count', 'client:x');
    link.disconnect();
    await expect(waiting).rejects.toThrow('the cluster primary is gone');
    expect(gone).toEqual(['gone']);
    const state = primaryLiveState(channel, 2, collectingLogger());
    await expect(state.quotaCounters.reserve('tokens\0x', 0, 100, 10)).rejects.toMatchObject({
      code: 'quota_unavailable',
    });
    expect(await state.concurrency.acquire('client:x', 4)).toBe(true);
  });

  it('hands the jobs of a worker that died to another at its next run', async () => {
    const cluster = new LoopbackCluster();
    const dying = cluster.join();
    const holder = new IpcJobLock(dying.channel);
    const other = new IpcJobLock(cluster.join().channel);
    expect(await holder.claim('keepalive:mock', 60_000)).toBe(true);
    expect(await other.claim('keepalive:mock', 60_000)).toBe(false);
    await cluster.authority.leave(dying.worker);
    expect(await other.claim('keepalive:mock', 60_000)).toBe(true);
  });

  it('runs its jobs and rotates locally once the primary is gone', async () => {
    const cluster = new LoopbackCluster();
    const logger = collectingLogger();
    const other = primaryLiveState(cluster.join().channel, 2, logger);
    const { channel, link } = cluster.join();
    const state = primaryLiveState(channel, 2, logger);
    expect(await other.jobs.claim('check:mock', 60_000)).toBe(true);
    expect(await state.jobs.claim('check:mock', 60_000)).toBe(false);
    link.disconnect();
    expect(await state.jobs.claim('check:mock', 60_000)).toBe(true);
    await expect(state.cursors.turn('route:main', [{ weight: 1 }], 'blocks')).rejects.toThrow(
      'rotating locally',
    );
  });

  it('gives back the concurrency places of a worker that died, once', async () => {
    const cluster = new LoopbackCluster();
    const dying = cluster.join();
    const other = new IpcConcurrencyStore(cluster.join().channel);
    const places = new IpcConcurrencyStore(dying.channel);
    expect(await places.acquire('client:x', 3)).toBe(true);
    expect(await places.acquire('client:x', 3)).toBe(true);
    expect(await other.acquire('client:x', 3)).toBe(true);
    expect(await other.acquire('client:x', 3)).toBe(false);
    await cluster.authority.leave(dying.worker);
    expect(await other.count('client:x')).toBe(1);
    expect(await other.acquire('client:x', 3)).toBe(true);
    await other.release('client:x');
    await other.release('client:x');
    await other.release('client:x');
    expect(await other.count('client:x')).toBe(0);
  });

  it('writes request log batches through the primary, or locally once it is gone', async () => {
    const cluster = new LoopbackCluster();
    const { channel, link } = cluster.join();
    const local = new MemoryRequestLog();
    const sink = new IpcRequestLogSink(channel, local);
    await sink.append([requestRecordFixture({ request_id: 'through-primary' })]);
    expect(cluster.logged.map((batch) => batch.map((r) => r.request_id))).toEqual([['through-primary']]);
    expect((await local.query({})).data.length).toBe(0);
    link.disconnect();
    await sink.append([requestRecordFixture({ request_id: 'after-primary' })]);
    expect((await local.query({})).data.map((row) => row.request_id)).toEqual(['after-primary']);
  });
});
