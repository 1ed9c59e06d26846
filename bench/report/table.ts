/** Markdown tables and the number formats the report uses. */

export type Cell = string | number | null | undefined;

/** A GitHub-flavoured markdown table; numbers are right-aligned, missing values show as `–`. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => headers.map((_, i) => cellText(row[i])));
  const numeric = headers.map((_, i) => rows.some((row) => typeof row[i] === 'number'));
  const widths = headers.map((h, i) => Math.max(h.length, 3, ...text.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(headers), rule, ...text.map(line)].join('\n');
}

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined || (typeof cell === 'number' && !Number.isFinite(cell))) return '–';
  if (typeof cell === 'number') return fixed(cell);
  return cell;
}

/** Integers as they are; else two decimals below 10, one below 100, none above. */
export function fixed(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** `a / b` as `0.73×`; `–` when either side is missing or b is zero. */
export function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '–';
  return `${(a / b).toFixed(2)}×`;
}

/** A share 0–1 as a percentage. */
export function percent(share: number | undefined): string {
  if (share === undefined || !Number.isFinite(share)) return '–';
  return `${Math.round(share * 100)} %`;
}
