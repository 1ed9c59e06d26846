import { RedisConcurrencyStore } from '../../src/adapter/node/redis/concurrency-store';
import { MemoryConcurrencyStore } from '../../src/state/memory-concurrency-store';
import { concurrencyStoreContract } from './concurrency-store';
import { redisDriver } from './redis';

concurrencyStoreContract('memory', () => ({ store: new MemoryConcurrencyStore(), close: () => {} }));

concurrencyStoreContract('Redis', () => redisDriver((link) => new RedisConcurrencyStore(link)));
