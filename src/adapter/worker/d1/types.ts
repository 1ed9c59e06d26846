/**
 * The part of Cloudflare's D1 binding the gateway uses (the full types live in
 * @cloudflare/workers-types; these few lines avoid the dependency).
 */
export interface D1Result<T> {
  readonly results: T[];
  readonly success: boolean;
  readonly meta: { readonly changes?: number };
}

export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  all<T = Record<string, unknown>>(): Promise<D1Result<T>>;
  run(): Promise<D1Result<unknown>>;
}

export interface D1Database {
  prepare(query: string): D1PreparedStatement;
  batch(statements: D1PreparedStatement[]): Promise<D1Result<unknown>[]>;
}

/** True when a binding looks like a D1 database (so a misnamed variable is not mistaken for one). */
export function isD1(value: unknown): value is D1Database {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as D1Database).prepare === 'function' &&
    typeof (value as D1Database).batch === 'function'
  );
}
