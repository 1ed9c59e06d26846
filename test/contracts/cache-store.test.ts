import { RedisCacheStore } from '../../src/adapter/node/redis/cache-store';
import { MemoryCacheStore } from '../../src/cache/memory-store';
import { cacheStoreContract } from './cache-store';
import { redisDriver } from './redis';

cacheStoreContract('memory', (maxBytes, now) => ({
  store: new MemoryCacheStore(maxBytes, now),
  close: () => {},
}));

cacheStoreContract('Redis', (maxBytes, now) =>
  redisDriver((link) => new RedisCacheStore(link, maxBytes, now)),
);
