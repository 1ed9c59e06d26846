import { useState } from 'preact/hooks';
import { call, enc, get } from '../api/client';
import type { ClientView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { PageTitle } from '../components/page-title';
import { usePoll } from '../hooks/use-poll';
import { ClientCreate } from './client-create';
import { type ClientAction, ClientRow } from './client-row';
import { NewToken } from './new-token';

async function perform(client: ClientView, action: ClientAction): Promise<string | undefined> {
  const path = `/admin/clients/${enc(client.name)}`;
  switch (action) {
    case 'rotate':
      return (await call<{ key: string }>('POST', `${path}/rotate`)).key;
    case 'enable':
    case 'disable':
      await call('PATCH', path, { json: { enabled: action === 'enable' } });
      return undefined;
    case 'delete':
      await call('DELETE', path);
      return undefined;
  }
}

/** Client tokens: allowlists, limits, quota and budget use; create, rotate, disable, delete. */
export function ClientsPage() {
  const { data, error, reload } = usePollClients();
  const [token, setToken] = useState<{ name: string; key: string } | null>(null);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const act = async (client: ClientView, action: ClientAction) => {
    if (action === 'delete' && !confirm(`Delete the client ${client.name}?`)) return;
    setActionError(undefined);
    try {
      const key = await perform(client, action);
      if (key) setToken({ name: client.name, key });
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const created = (name: string, key: string) => {
    setToken({ name, key });
    reload();
  };
  return (
    <section>
      <PageTitle>Clients</PageTitle>
      <ErrorNote error={error ?? actionError} />
      {token ? <NewToken name={token.name} token={token.key} onDismiss={() => setToken(null)} /> : null}
      <table>
        <caption>Client tokens (masked) with what they may use and what they have used</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">State</th>
            <th scope="col">Allowed</th>
            <th scope="col">Limits</th>
            <th scope="col">Quota (tokens)</th>
            <th scope="col">Budget</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(data?.data ?? []).map((client) => (
            <ClientRow key={client.name} client={client} onAction={(action) => act(client, action)} />
          ))}
        </tbody>
      </table>
      <ClientCreate onCreated={created} />
    </section>
  );
}

function usePollClients() {
  return usePoll(() => get<{ data: ClientView[] }>('/admin/clients'), [], 10_000);
}
