import { RedisCursorStore } from '../../src/adapter/node/redis/cursor-store';
import { MemoryCursorStore } from '../../src/state/memory-cursor-store';
import { cursorStoreContract } from './cursor-store';
import { redisDriver } from './redis';

cursorStoreContract('memory', () => {
  const store = new MemoryCursorStore();
  return { store, close: () => {}, reopen: () => store };
});

cursorStoreContract('Redis', () => redisDriver((link) => new RedisCursorStore(link), 1));
