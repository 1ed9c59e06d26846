import { PgStore } from '../../src/adapter/node/postgres/store';
import { SecretBox } from '../../src/store/secret-box';
import { PG_URL, testSchema } from '../helpers/postgres';
import type { Driver } from './driver';

/**
 * PostgreSQL drivers for the contract suites: each test gets a schema of its own; `reopen`
 * opens another store on the same schema (another instance, or a restart); `close` closes every
 * store and drops the schema.
 */
export function postgresDriver<T>(
  pick: (store: PgStore) => T,
  clock?: () => () => number,
): () => Promise<Driver<T>> {
  return async () => {
    const schema = testSchema();
    const opened: PgStore[] = [];
    const open = async () => {
      const store = await PgStore.open({
        url: PG_URL,
        schema: schema.name,
        box: new SecretBox(Buffer.alloc(32, 3)),
        hmacKey: new Uint8Array(32).fill(5),
        now: clock?.(),
        max: 2,
      });
      opened.push(store);
      return pick(store);
    };
    return {
      store: await open(),
      reopen: open,
      async close() {
        await Promise.all(opened.map((store) => store.close()));
        await schema.drop();
      },
    };
  };
}
