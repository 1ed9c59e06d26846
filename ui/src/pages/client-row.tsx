import type { Allowance, ClientView } from '../api/types';
import { StateBadge } from '../components/state-badge';
import { count, usd } from '../format';

/** What a row's buttons ask the clients page to do. */
export type ClientAction = 'rotate' | 'enable' | 'disable' | 'delete';

function allowance(a: Allowance | null, money: boolean): string {
  if (!a) return '—';
  const shown = (n: number) => (money ? usd(n) : count(n));
  return `${shown(a.used)} of ${shown(a.limit)} (${shown(Math.max(0, a.limit - a.used))} left, per ${a.period})`;
}

function limits(client: ClientView): string {
  const l = client.limits ?? {};
  const parts = [
    l.rpm ? `${l.rpm} rpm` : '',
    l.tpm ? `${l.tpm} tpm` : '',
    l.concurrency ? `${l.concurrency} at once` : '',
  ];
  return parts.filter(Boolean).join(', ') || 'none';
}

/** One client with its actions (clients from the file are read-only). */
export function ClientRow({ client, onAction }: { client: ClientView; onAction: (a: ClientAction) => void }) {
  const button = (action: ClientAction, label: string) => (
    <button
      type="button"
      class="small"
      aria-label={`${label} ${client.name}`}
      onClick={() => onAction(action)}
    >
      {label}
    </button>
  );
  return (
    <tr>
      <th scope="row">
        {client.name}
        <div class="sub">
          <code>{client.key}</code>
        </div>
      </th>
      <td>
        <StateBadge state={client.active ? 'active' : 'disabled'} />
      </td>
      <td>
        <div>models: {client.models?.join(', ') || 'any'}</div>
        <div>routes: {client.routes?.join(', ') || 'any'}</div>
      </td>
      <td>{limits(client)}</td>
      <td>{allowance(client.usage.quota, false)}</td>
      <td>{allowance(client.usage.budget, true)}</td>
      <td class="row-actions">
        {client.source === 'file' ? (
          <span class="sub">from the file: read-only</span>
        ) : (
          <>
            {button('rotate', 'Rotate')}
            {client.enabled ? button('disable', 'Disable') : button('enable', 'Enable')}
            {button('delete', 'Delete')}
          </>
        )}
      </td>
    </tr>
  );
}
