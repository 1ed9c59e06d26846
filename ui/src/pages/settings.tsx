import { useState } from 'preact/hooks';
import { call, get } from '../api/client';
import type { RouteView, SettingView, UpstreamView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { PageTitle } from '../components/page-title';
import { StateBadge } from '../components/state-badge';
import { usePoll } from '../hooks/use-poll';
import { configYaml } from '../yaml';

async function load() {
  const [config, settings, upstreams, routes] = await Promise.all([
    get<Record<string, unknown>>('/admin/config'),
    get<{ settings: SettingView[] }>('/admin/settings'),
    get<{ upstreams: UpstreamView[] }>('/admin/upstreams'),
    get<{ routes: RouteView[] }>('/admin/routes'),
  ]);
  const objects = [
    ...upstreams.upstreams.map((u) => ({ kind: 'upstream', name: u.name, source: u.source })),
    ...routes.routes.map((r) => ({ kind: 'route', name: r.name, source: r.source })),
  ];
  return {
    yaml: configYaml(config),
    source: String(config.source ?? ''),
    settings: settings.settings,
    objects,
  };
}

function download(yaml: string): void {
  const url = URL.createObjectURL(new Blob([yaml], { type: 'application/yaml' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'switchyard-effective.yaml';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The running configuration (secrets masked), where each part comes from, reload and export. */
export function SettingsPage() {
  const { data, error, reload } = usePoll(load, []);
  const [message, setMessage] = useState('');
  const [actionError, setActionError] = useState<unknown>(undefined);
  const reloadFile = async () => {
    setActionError(undefined);
    try {
      await call('POST', '/admin/config/reload');
      setMessage('The configuration file was read again and applied.');
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const actions = (
    <>
      <button type="button" onClick={reloadFile}>
        Reload the file
      </button>
      <button type="button" disabled={!data} onClick={() => data && download(data.yaml)}>
        Export as YAML
      </button>
    </>
  );
  return (
    <section>
      <PageTitle actions={actions}>Settings</PageTitle>
      <ErrorNote error={error ?? actionError} />
      <p class="status" role="status">
        {message}
      </p>
      {data ? (
        <p>
          Configuration file: <code>{data.source}</code>
        </p>
      ) : null}
      <table>
        <caption>Settings that can change while running, and where each value comes from</caption>
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Value</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {(data?.settings ?? []).map((s) => (
            <tr key={s.name}>
              <th scope="row">{s.name}</th>
              <td>
                <code>{JSON.stringify(s.value)}</code>
              </td>
              <td>
                <StateBadge state={s.source} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>Upstreams and routes, and where each comes from</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Name</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {(data?.objects ?? []).map((o) => (
            <tr key={`${o.kind}/${o.name}`}>
              <td>{o.kind}</td>
              <th scope="row">{o.name}</th>
              <td>
                <StateBadge state={o.source} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Effective configuration</h2>
      <p class="note">File and API merged; secrets are masked, upstream keys are counted.</p>
      <pre class="config">{data?.yaml}</pre>
    </section>
  );
}
