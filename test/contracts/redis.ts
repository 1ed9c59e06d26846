import { randomBytes } from 'node:crypto';
import { RedisLink } from '../../src/adapter/node/redis/connection';
import type { Driver } from './driver';

/** The Redis the contract suites run against (the project's machines run one on 6379). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** A prefix no other test run uses, so parallel runs never see each other's keys. */
export function uniquePrefix(): string {
  return `sy-test-${randomBytes(6).toString('hex')}`;
}

/** Deletes every key under a prefix. */
export async function removePrefix(link: RedisLink): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await link.client.scan(cursor, 'MATCH', `${link.prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await link.client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * A Redis driver under a contract suite: `make` builds a store on a link; `reopen` builds one on
 * a link of its own (another instance), opened beforehand so it is connected when handed out.
 */
export async function redisDriver<T>(make: (link: RedisLink) => T, spares = 0): Promise<Driver<T>> {
  const prefix = uniquePrefix();
  const links = Array.from({ length: spares + 1 }, () => new RedisLink(REDIS_URL, prefix));
  await Promise.all(links.map((link) => link.ready()));
  const [first, ...rest] = links.map((link) => make(link));
  const waiting = [...rest];
  return {
    store: first as T,
    reopen: () => {
      const next = waiting.shift();
      if (next === undefined) throw new Error('no more spare Redis links in this test');
      return next;
    },
    close: async () => {
      await removePrefix(links[0] as RedisLink);
      await Promise.all(links.map((link) => link.close()));
    },
  };
}
