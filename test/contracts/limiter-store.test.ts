import { IpcLimiterStore } from '../../src/adapter/node/cluster/stores';
import { RedisLimiterStore } from '../../src/adapter/node/redis/limiter-store';
import { MemoryLimiterStore } from '../../src/state/memory-limiter-store';
import { clusterDriver } from './cluster';
import { limiterStoreContract } from './limiter-store';
import { redisDriver } from './redis';

limiterStoreContract('memory', () => ({ store: new MemoryLimiterStore(), close: () => {} }));

limiterStoreContract('Redis', () => redisDriver((link) => new RedisLimiterStore(link)));

limiterStoreContract('cluster IPC (the primary’s memory)', () =>
  clusterDriver((channel) => new IpcLimiterStore(channel)),
);
