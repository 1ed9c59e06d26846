import { MemoryHealthBus, MemoryHealthSync } from '../../src/state/memory-health-sync';
import { healthSyncContract } from './health-sync';

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
