import { useState } from 'preact/hooks';
import { enc, get, query } from '../api/client';
import { keySearchTerm } from '../api/fingerprint';
import { runAll } from '../api/run-all';
import type { KeyHealth, KeyPage, KeyView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { Pager } from '../components/pager';
import { usePoll } from '../hooks/use-poll';
import { KeyActionBar } from './key-action-bar';
import { type KeyAction, runKeyAction } from './key-actions';
import { KeyRow } from './key-row';

const PAGE = 50;

interface KeyTableProps {
  readonly upstream: string;
  readonly writable: boolean;
  readonly onChange: () => void;
  /** Changes when keys were imported elsewhere on the page: load again. */
  readonly version: number;
}

async function load(upstream: string, offset: number, q: string, enabled: string) {
  const term = await keySearchTerm(q);
  const page = await get<KeyPage>(
    `/admin/upstreams/${enc(upstream)}/keys${query({ offset, limit: PAGE, q: term, enabled })}`,
  );
  const ids = page.keys.map((k) => k.id).join(',');
  const health = ids
    ? await get<{ keys: KeyHealth[] }>(`/admin/keys${query({ upstream, ids })}`)
    : { keys: [] };
  return { page, health: new Map(health.keys.map((h) => [h.id, h])) };
}

/**
 * An upstream's keys a page at a time (the API pages and searches, so 100,000 keys cost the same
 * as 100), with their health, and actions on one key or on the selected ones.
 */
export function KeyTable({ upstream, writable, onChange, version }: KeyTableProps) {
  const [offset, setOffset] = useState(0);
  const [q, setQ] = useState('');
  const [enabled, setEnabled] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [status, setStatus] = useState<{ message: string; error?: string }>({ message: '' });
  const { data, error, reload } = usePoll(
    () => load(upstream, offset, q, enabled),
    [upstream, offset, q, enabled, version],
    5000,
  );

  const act = async (action: KeyAction, keys: readonly KeyView[]) => {
    if (
      action === 'delete' &&
      !confirm(`Delete ${keys.length === 1 ? keys[0]!.key : `${keys.length} keys`}?`)
    )
      return;
    setStatus({ message: `${action}: 0 of ${keys.length}` });
    const result = await runAll(
      keys,
      (key) => runKeyAction(upstream, key, action),
      (done) => setStatus({ message: `${action}: ${done} of ${keys.length}` }),
    );
    const failed = result.failed.map((f) => f.message).join('; ');
    setStatus({ message: `${action}: ${result.ok} of ${keys.length} done`, error: failed || undefined });
    setSelected(new Set());
    reload();
    onChange();
  };
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const search = (text: string) => {
    setQ(text);
    setOffset(0);
  };
  const show = (which: string) => {
    setEnabled(which);
    setOffset(0);
  };
  const keys = data?.page.keys ?? [];
  const chosen = keys.filter((k) => selected.has(k.id));

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">Keys</h2>
      <div class="toolbar">
        <label for="key-search">Search keys</label>
        <input
          id="key-search"
          type="search"
          placeholder="id, last characters or the whole key"
          value={q}
          onInput={(e) => search(e.currentTarget.value)}
        />
        <label for="key-filter">Show</label>
        <select id="key-filter" value={enabled} onChange={(e) => show(e.currentTarget.value)}>
          <option value="">all keys</option>
          <option value="true">enabled</option>
          <option value="false">disabled</option>
        </select>
        <KeyActionBar count={chosen.length} writable={writable} onAction={(a) => act(a, chosen)} />
      </div>
      <ErrorNote error={error} />
      <p class="status" role="status">
        {status.message}
      </p>
      <ErrorNote error={status.error} />
      <table class="keys">
        <caption class="visually-hidden">Keys of {upstream}</caption>
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label="Select every key on this page"
                checked={keys.length > 0 && chosen.length === keys.length}
                onChange={(e) => setSelected(new Set(e.currentTarget.checked ? keys.map((k) => k.id) : []))}
              />
            </th>
            <th scope="col">Key</th>
            <th scope="col">Enabled</th>
            <th scope="col">State</th>
            <th scope="col">Reason</th>
            <th scope="col" class="num">
              Requests
            </th>
            <th scope="col" class="num">
              Errors
            </th>
            <th scope="col">Last used</th>
            <th scope="col">Last verdict</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <KeyRow
              key={key.id}
              apiKey={key}
              health={data?.health.get(key.id)}
              selected={selected.has(key.id)}
              writable={writable}
              onSelect={(on) => toggle(key.id, on)}
              onAction={(action) => act(action, [key])}
            />
          ))}
        </tbody>
      </table>
      {data ? <Pager offset={offset} limit={PAGE} total={data.page.total} onPage={setOffset} /> : null}
    </section>
  );
}
