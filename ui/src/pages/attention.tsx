import { get } from '../api/client';
import type { ClientView, KeyHealth, UpstreamHealth } from '../api/types';
import { relative } from '../format';
import { usePoll } from '../hooks/use-poll';
import { href } from '../hooks/use-route';

const NEARLY_SPENT = 0.8;
const SHOWN = 5;

async function load() {
  const [health, disabled, clients] = await Promise.all([
    get<{ upstreams: UpstreamHealth[] }>('/admin/health'),
    get<{ keys: KeyHealth[] }>('/admin/keys?state=disabled'),
    get<{ data: ClientView[] }>('/admin/clients'),
  ]);
  const spent = (c: ClientView) => {
    const shares = [c.usage.quota, c.usage.budget].filter((a) => a !== null).map((a) => a.used / a.limit);
    return Math.max(0, ...shares);
  };
  return {
    upstreams: health.upstreams.filter((u) => !u.usable),
    keys: disabled.keys,
    clients: clients.data
      .filter((c) => spent(c) >= NEARLY_SPENT)
      .map((c) => ({ name: c.name, spent: spent(c) })),
  };
}

/** Upstreams out of rotation, disabled keys and clients near the end of their quota or budget. */
export function Attention() {
  const { data } = usePoll(load, [], 5000);
  if (!data) return null;
  const items = [
    ...data.upstreams.map((u) => (
      <li key={`u:${u.name}`}>
        Upstream <a href={href('upstreams', u.name)}>{u.name}</a> is {u.state}
        {u.ejected_until ? ` until ${relative(u.ejected_until)}` : ''}
        {u.reason ? `: ${u.reason}` : ''}
      </li>
    )),
    ...data.keys.slice(0, SHOWN).map((k) => (
      <li key={`k:${k.upstream}/${k.id}`}>
        Key {k.key} of <a href={href('upstreams', k.upstream)}>{k.upstream}</a> is disabled
        {k.reason ? `: ${k.reason}` : ''}
      </li>
    )),
    ...(data.keys.length > SHOWN
      ? [<li key="k:more">and {data.keys.length - SHOWN} more disabled keys</li>]
      : []),
    ...data.clients.map((c) => (
      <li key={`c:${c.name}`}>
        Client <a href={href('clients')}>{c.name}</a> has used {Math.round(c.spent * 100)}% of its allowance
      </li>
    )),
  ];
  return (
    <section class="attention" aria-labelledby="attention-title">
      <h2 id="attention-title">Needs attention</h2>
      {items.length === 0 ? (
        <p class="note">Nothing: every upstream is usable, no key is disabled.</p>
      ) : (
        <ul>{items}</ul>
      )}
    </section>
  );
}
