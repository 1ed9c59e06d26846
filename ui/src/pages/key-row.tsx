import type { KeyHealth, KeyView } from '../api/types';
import { StateBadge } from '../components/state-badge';
import { count, relative } from '../format';
import type { KeyAction } from './key-actions';

interface KeyRowProps {
  readonly apiKey: KeyView;
  readonly health: KeyHealth | undefined;
  readonly selected: boolean;
  readonly writable: boolean;
  readonly onSelect: (on: boolean) => void;
  readonly onAction: (action: KeyAction) => void;
}

function reason(health: KeyHealth | undefined): string {
  if (!health) return '—';
  const until = health.until ? `until ${relative(health.until)}` : '';
  return [health.reason, until].filter(Boolean).join(', ') || '—';
}

/** One key: masked, its state and why, its counts, and its actions. */
export function KeyRow({ apiKey, health, selected, writable, onSelect, onAction }: KeyRowProps) {
  const state = apiKey.enabled ? (health?.state ?? 'active') : 'off';
  const button = (action: KeyAction, label: string) => (
    <button
      type="button"
      class="small"
      aria-label={`${label} ${apiKey.key} (${apiKey.id})`}
      onClick={() => onAction(action)}
    >
      {label}
    </button>
  );
  return (
    <tr>
      <td>
        <input
          type="checkbox"
          aria-label={`Select ${apiKey.key} (${apiKey.id})`}
          checked={selected}
          onChange={(e) => onSelect(e.currentTarget.checked)}
        />
      </td>
      <th scope="row">
        <code>{apiKey.key}</code>
        <div class="sub">{apiKey.id}</div>
      </th>
      <td>{apiKey.enabled ? 'yes' : 'no'}</td>
      <td>
        <StateBadge state={state} />
      </td>
      <td>{reason(health)}</td>
      <td class="num">{count(health?.requests ?? 0)}</td>
      <td class="num">{count(health ? health.requests - health.successes : 0)}</td>
      <td class="nowrap">{relative(health?.last_used_at)}</td>
      <td>
        <StateBadge state={health?.last_verdict} />
        {health?.last_error ? (
          <div class="sub clip" title={health.last_error}>
            {health.last_error}
          </div>
        ) : null}
      </td>
      <td class="row-actions">
        {writable
          ? button(apiKey.enabled ? 'disable' : 'enable', apiKey.enabled ? 'Disable' : 'Enable')
          : null}
        {apiKey.enabled ? button('reset', 'Reset') : null}
        {apiKey.enabled ? button('validate', 'Validate') : null}
        {writable ? button('delete', 'Delete') : null}
      </td>
    </tr>
  );
}
