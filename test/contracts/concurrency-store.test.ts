import { IpcConcurrencyStore } from '../../src/adapter/node/cluster/stores';
import { RedisConcurrencyStore } from '../../src/adapter/node/redis/concurrency-store';
import { MemoryConcurrencyStore } from '../../src/state/memory-concurrency-store';
import { clusterDriver } from './cluster';
import { concurrencyStoreContract } from './concurrency-store';
import { redisDriver } from './redis';

concurrencyStoreContract('memory', () => ({ store: new MemoryConcurrencyStore(), close: () => {} }));

concurrencyStoreContract('Redis', () => redisDriver((link) => new RedisConcurrencyStore(link)));

concurrencyStoreContract('cluster IPC (the primary’s memory)', () =>
  clusterDriver((channel) => new IpcConcurrencyStore(channel)),
);
