/** What the request log's drivers share about a query: status ranges, page sizes, cursors. */

/** The inclusive status range a `status` filter means: `429`, `4xx` or `error` (400 and above). */
export function statusRange(status: string): [number, number] {
  if (/^[1-5]xx$/i.test(status)) {
    const base = Number(status[0]) * 100;
    return [base, base + 99];
  }
  if (status === 'error') return [400, 999];
  const exact = Number(status);
  if (!Number.isInteger(exact))
    throw new RangeError(`status "${status}" is not a status, a class (4xx) or "error"`);
  return [exact, exact];
}

/** Rows per page: 1-1000, 100 when not given. */
export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(Math.floor(limit ?? 100), 1), 1000);
}

/** The cursor after a row: base64url of `ts:id`. */
export function encodeCursor(ts: number, id: number): string {
  return btoa(`${ts}:${id}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(cursor: string): [number, number] {
  let text = '';
  try {
    text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    text = '';
  }
  const [ts, id] = text.split(':').map(Number);
  if (!Number.isFinite(ts) || !Number.isFinite(id)) throw new RangeError('cursor is not one this API gave');
  return [ts!, id!];
}
