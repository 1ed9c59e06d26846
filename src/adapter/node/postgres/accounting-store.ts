import type { AccountingStore } from '../accounting-store';
import { storeUnavailable } from './errors';
import { clientUsageSincePg, queryUsageRollups } from './request-query';
import { pgRetentionStep } from './retention';
import type { PgStore } from './store';

/** Accounting on the PostgreSQL store: clients, the request log, usage and retention. */
export function pgAccountingStore(store: PgStore): AccountingStore {
  const db = store.connection;
  let open = true;
  store.connection.closeListeners.push(() => {
    open = false;
  });
  return {
    clients: store.clients,
    requestLog: store.requestLog,
    usageSince: (client, since) => clientUsageSincePg(db, client, since),
    usage: async (query) => {
      if (!db.up) throw storeUnavailable(db.lastError);
      return queryUsageRollups(db, query);
    },
    retentionStep: async (now, days, rollupDays) =>
      db.up ? pgRetentionStep(db, now, days, rollupDays) : { more: false },
    get open() {
      return open;
    },
  };
}
