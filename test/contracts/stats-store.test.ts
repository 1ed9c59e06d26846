import { IpcStatsStore } from '../../src/adapter/node/cluster/fleet-stores';
import { RedisStatsStore } from '../../src/adapter/node/redis/stats-store';
import { MemoryStatsStore } from '../../src/state/memory-stats-store';
import { clusterDriver } from './cluster';
import { redisDriver } from './redis';
import { statsStoreContract } from './stats-store';

statsStoreContract('memory', () => {
  const store = new MemoryStatsStore();
  return { store, reopen: () => store, close: () => {} };
});

statsStoreContract('Redis', () => redisDriver((link) => new RedisStatsStore(link), 1));

statsStoreContract('cluster IPC (the primary’s memory)', () =>
  clusterDriver((channel) => new IpcStatsStore(channel)),
);
