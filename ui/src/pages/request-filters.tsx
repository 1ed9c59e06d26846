import { useState } from 'preact/hooks';
import { Field } from '../components/field';

export interface RequestFilter {
  readonly from: string;
  readonly to: string;
  readonly status: string;
  readonly model: string;
  readonly client: string;
  readonly upstream: string;
  readonly route: string;
  readonly verdict: string;
}

export const NO_FILTER: RequestFilter = {
  from: '',
  to: '',
  status: '',
  verdict: '',
  model: '',
  client: '',
  upstream: '',
  route: '',
};

const VERDICTS = [
  'success',
  'client_error',
  'rate_limited',
  'quota_exhausted',
  'invalid_key',
  'upstream_fault',
  'client_cancelled',
];

const STATUSES = [
  ['', 'any'],
  ['2xx', '2xx success'],
  ['error', 'any error (400+)'],
  ['4xx', '4xx'],
  ['429', '429 rate limited'],
  ['5xx', '5xx'],
] as const;

/** The request log's filters; applied on submit. */
export function RequestFilters({ onApply }: { onApply: (filter: RequestFilter) => void }) {
  const [draft, setDraft] = useState<RequestFilter>(NO_FILTER);
  const set = (name: keyof RequestFilter) => (value: string) => setDraft({ ...draft, [name]: value });
  const submit = (event: Event) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form class="filters" onSubmit={submit} aria-label="Filter requests">
      <Field id="filter-from" label="From" type="datetime-local" value={draft.from} onInput={set('from')} />
      <Field id="filter-to" label="To" type="datetime-local" value={draft.to} onInput={set('to')} />
      <div class="field">
        <label for="filter-status">Status</label>
        <select
          id="filter-status"
          value={draft.status}
          onChange={(e) => set('status')(e.currentTarget.value)}
        >
          {STATUSES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-verdict">Verdict</label>
        <select
          id="filter-verdict"
          value={draft.verdict}
          onChange={(e) => set('verdict')(e.currentTarget.value)}
        >
          <option value="">any</option>
          {VERDICTS.map((verdict) => (
            <option key={verdict} value={verdict}>
              {verdict}
            </option>
          ))}
        </select>
      </div>
      <Field id="filter-model" label="Model" value={draft.model} onInput={set('model')} />
      <Field id="filter-client" label="Client" value={draft.client} onInput={set('client')} />
      <Field id="filter-upstream" label="Upstream" value={draft.upstream} onInput={set('upstream')} />
      <Field id="filter-route" label="Route" value={draft.route} onInput={set('route')} />
      <div class="form-actions">
        <button type="submit" class="primary">
          Apply filters
        </button>
      </div>
    </form>
  );
}
