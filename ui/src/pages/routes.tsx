import { useState } from 'preact/hooks';
import { call, enc, get } from '../api/client';
import type { RouteView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { PageTitle } from '../components/page-title';
import { ReadOnlyNote } from '../components/read-only-note';
import { StateBadge } from '../components/state-badge';
import { usePoll } from '../hooks/use-poll';
import { RouteEditor } from './route-editor';
import { RouteMembers } from './route-members';

/** The route table in match order; API routes can be created, edited and deleted. */
export function RoutesPage() {
  const { data, error, reload } = usePoll(() => get<{ routes: RouteView[] }>('/admin/routes'), [], 10_000);
  const [editing, setEditing] = useState<RouteView | 'new' | null>(null);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const remove = async (route: RouteView) => {
    if (!confirm(`Delete the route ${route.name}?`)) return;
    try {
      await call('DELETE', `/admin/routes/${enc(route.name)}`);
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const done = () => {
    setEditing(null);
    reload();
  };
  const add = (
    <button type="button" onClick={() => setEditing('new')}>
      New route
    </button>
  );
  return (
    <section>
      <PageTitle actions={add}>Routes</PageTitle>
      <ErrorNote error={error ?? actionError} />
      <ReadOnlyNote subject="Routes marked “file”" />
      {editing ? (
        <RouteEditor
          route={editing === 'new' ? null : editing}
          onDone={done}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      <table>
        <caption>Routes in the order they are matched; the first that matches a request serves it</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Name</th>
            <th scope="col">Match</th>
            <th scope="col">Strategy</th>
            <th scope="col">Members</th>
            <th scope="col">Source</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(data?.routes ?? []).map((route, i) => (
            <tr key={route.name}>
              <td>{i + 1}</td>
              <th scope="row">{route.name}</th>
              <td>
                <code>{route.match === undefined ? 'everything' : JSON.stringify(route.match)}</code>
              </td>
              <td>{route.strategy ?? '—'}</td>
              <td>
                <RouteMembers route={route} />
              </td>
              <td>
                <StateBadge state={route.source} />
                {route.implicit ? <div class="sub">implicit default</div> : null}
              </td>
              <td class="row-actions">
                {route.source === 'api' ? (
                  <>
                    <button
                      type="button"
                      class="small"
                      aria-label={`Edit ${route.name}`}
                      onClick={() => setEditing(route)}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      class="small"
                      aria-label={`Delete ${route.name}`}
                      onClick={() => remove(route)}
                    >
                      Delete
                    </button>
                  </>
                ) : (
                  <span class="sub">read-only</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
