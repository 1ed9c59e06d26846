import type { Series } from '../api/types';
import { count, errors, ms, percent } from '../format';

/** Requests, errors, latency and tokens of each series of one dimension. */
export function SeriesTable({ caption, series }: { caption: string; series: readonly Series[] }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" class="num">
            Requests
          </th>
          <th scope="col" class="num">
            Errors
          </th>
          <th scope="col" class="num">
            p50
          </th>
          <th scope="col" class="num">
            p95
          </th>
          <th scope="col" class="num">
            p99
          </th>
          <th scope="col" class="num">
            Tokens
          </th>
        </tr>
      </thead>
      <tbody>
        {series.length === 0 ? (
          <tr>
            <td colSpan={7} class="empty">
              No traffic in this window.
            </td>
          </tr>
        ) : null}
        {series.map((s) => (
          <tr key={s.name}>
            <th scope="row">{s.name}</th>
            <td class="num">{count(s.requests)}</td>
            <td class="num">{percent(errors(s.outcomes), s.requests)}</td>
            <td class="num">{ms(s.latency_ms?.p50)}</td>
            <td class="num">{ms(s.latency_ms?.p95)}</td>
            <td class="num">{ms(s.latency_ms?.p99)}</td>
            <td class="num">{count(s.tokens.total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
