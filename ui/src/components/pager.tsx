import { count } from '../format';

interface PagerProps {
  readonly offset: number;
  readonly limit: number;
  readonly total: number;
  readonly onPage: (offset: number) => void;
}

/** Previous / next through an offset-paged list, with where we are. */
export function Pager({ offset, limit, total, onPage }: PagerProps) {
  const last = Math.min(offset + limit, total);
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        Previous
      </button>
      <span>{total === 0 ? 'none' : `${count(offset + 1)}–${count(last)} of ${count(total)}`}</span>
      <button type="button" disabled={last >= total} onClick={() => onPage(offset + limit)}>
        Next
      </button>
    </nav>
  );
}
