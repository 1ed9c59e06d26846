/** How figures are shown: one place, so every page agrees. */

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export function count(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return Math.abs(n) >= 1_000_000 ? compact.format(n) : integer.format(n);
}

export function ms(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '—';
  const p = (100 * part) / whole;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)}%`;
}

export function usd(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;
}

export function time(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const date = new Date(value);
  return date.toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' });
}

/** "in 2 min" / "3 min ago" */
export function relative(value: string | null | undefined, now = Date.now()): string {
  if (!value) return '—';
  const diff = new Date(value).getTime() - now;
  const minutes = Math.round(Math.abs(diff) / 60_000);
  const text = minutes < 1 ? `${Math.round(Math.abs(diff) / 1000)} s` : `${minutes} min`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** Requests that did not succeed, leaving out those the client cancelled. */
export function errors(outcomes: Readonly<Record<string, number>>): number {
  let n = 0;
  for (const [outcome, value] of Object.entries(outcomes)) {
    if (outcome !== 'success' && outcome !== 'client_cancelled') n += value;
  }
  return n;
}
