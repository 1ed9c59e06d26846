import { RedisStatsStore } from '../../src/adapter/node/redis/stats-store';
import { MemoryStatsStore } from '../../src/state/memory-stats-store';
import { redisDriver } from './redis';
import { statsStoreContract } from './stats-store';

statsStoreContract('memory', () => {
  const store = new MemoryStatsStore();
  return { store, reopen: () => store, close: () => {} };
});

statsStoreContract('Redis', () => redisDriver((link) => new RedisStatsStore(link), 1));
