import { IpcHealthSync } from '../../src/adapter/node/cluster/stores';
import { RedisHealthSync } from '../../src/adapter/node/redis/health-sync';
import { MemoryHealthBus, MemoryHealthSync } from '../../src/state/memory-health-sync';
import { clusterDriver } from './cluster';
import { healthSyncContract } from './health-sync';
import { redisDriver } from './redis';

healthSyncContract('memory, alone (the default)', () => ({
  store: new MemoryHealthSync(),
  close: () => {},
}));

healthSyncContract('memory, on a shared bus', () => {
  const bus = new MemoryHealthBus();
  const members: MemoryHealthSync[] = [];
  const join = () => {
    const member = new MemoryHealthSync(bus);
    members.push(member);
    return member;
  };
  return {
    store: join(),
    reopen: join,
    close: async () => {
      for (const member of members) await member.close();
    },
  };
});

healthSyncContract('Redis', () => redisDriver((link) => new RedisHealthSync(link), 3));

healthSyncContract('cluster IPC (relayed by the primary)', () =>
  clusterDriver((channel) => new IpcHealthSync(channel)),
);
