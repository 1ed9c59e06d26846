import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run atomically by Redis: by its SHA1 (EVALSHA), loaded with EVAL the first time a
 * server does not know it (after a restart, a failover or SCRIPT FLUSH).
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(
    redis: Redis,
    keys: readonly string[],
    args: readonly (string | number | Uint8Array)[],
  ): Promise<unknown> {
    const argv = args.map((arg) => (arg instanceof Uint8Array ? Buffer.from(arg) : String(arg)));
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...argv);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...argv);
    }
  }
}

/** A number a script returned as text (`%.17g`, so the double comes back exactly). */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** The reply of a script that returns a flat array. */
export function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error('unexpected reply from a Redis script');
  return value;
}
