import { IpcCursorStore } from '../../src/adapter/node/cluster/fleet-stores';
import { RedisCursorStore } from '../../src/adapter/node/redis/cursor-store';
import { MemoryCursorStore } from '../../src/state/memory-cursor-store';
import { clusterDriver } from './cluster';
import { cursorStoreContract } from './cursor-store';
import { redisDriver } from './redis';

cursorStoreContract('memory', () => {
  const store = new MemoryCursorStore();
  return { store, close: () => {}, reopen: () => store };
});

cursorStoreContract('Redis', () => redisDriver((link) => new RedisCursorStore(link), 1));

cursorStoreContract('cluster IPC (the primary’s memory)', () =>
  clusterDriver((channel) => new IpcCursorStore(channel)),
);
