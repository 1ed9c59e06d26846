/** A write refused because the PostgreSQL store is unreachable (it reconnects in the background). */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';

  constructor(reason: string | undefined) {
    super(`the store (PostgreSQL) is unreachable${reason ? `: ${reason}` : ''}; try again shortly`);
    this.name = 'StoreUnavailableError';
  }
}
