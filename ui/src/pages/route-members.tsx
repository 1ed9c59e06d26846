import type { RouteView } from '../api/types';

/** A route's upstreams, or its split groups with their weights. */
export function RouteMembers({ route }: { route: RouteView }) {
  const groups = route.split?.groups;
  if (groups && groups.length > 0) {
    return (
      <ul class="plain">
        {groups.map((group, i) => (
          <li key={i}>
            split {group.weight ?? '—'}: {(group.upstreams ?? []).join(', ')}
          </li>
        ))}
      </ul>
    );
  }
  return <>{(route.upstreams ?? []).join(', ') || '—'}</>;
}
