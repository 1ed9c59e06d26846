/**
 * A named, ordered schema change. Names are recorded so each runs once per database; `up` is SQL
 * (run as it is by every SQL driver: SQLite, D1) or a function for the driver it was written for.
 */
export interface Migration<Db = unknown> {
  readonly name: string;
  readonly up: string | ((db: Db) => void);
}
