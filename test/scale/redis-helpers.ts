import { type ChildProcess, spawn } from 'node:child_process';
import { RedisLink } from '../../src/adapter/node/redis/connection';
import { REDIS_URL, removePrefix, uniquePrefix } from '../contracts/redis';
import { closedPortUrl } from '../helpers/closed-port';

/** A fresh prefix on the machine's Redis, and the function that deletes its keys afterwards. */
export function sharedRedis(): { url: string; prefix: string; cleanUp(): Promise<void> } {
  const prefix = uniquePrefix();
  return {
    url: REDIS_URL,
    prefix,
    async cleanUp() {
      const link = new RedisLink(REDIS_URL, prefix);
      await link.ready();
      await removePrefix(link);
      await link.close();
    },
  };
}

/** A redis-server of the test's own, on a free port, that the test may kill and start again. */
export class OwnRedis {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async create(): Promise<OwnRedis> {
    const port = Number(new URL(await closedPortUrl()).port);
    return new OwnRedis(port);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  /** Starts the server and settles once it accepts connections. */
  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        if (seen.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`redis-server exited with ${code}: ${seen.slice(-500)}`)),
      );
    });
  }

  /** Kills the server at once (SIGKILL), as a crash would, and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }
}

/** Polls `check` every 5 ms until it holds; rejects after `withinMs`. Returns the time it took. */
export async function eventually(check: () => boolean | Promise<boolean>, withinMs: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > withinMs) throw new Error(`not true within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
