import { useState } from 'preact/hooks';
import { call } from '../api/client';
import { ApiForm } from '../components/api-form';
import { Field } from '../components/field';
import { href } from '../hooks/use-route';

/** Adds an upstream through the API (its keys are imported on its own page). */
export function UpstreamCreate({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [models, setModels] = useState('');
  const create = async () => {
    const list = models
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    await call('POST', '/admin/upstreams', { json: { name, url, ...(list.length ? { models: list } : {}) } });
    onCreated();
    location.hash = href('upstreams', name);
  };
  return (
    <details class="panel">
      <summary>Add an upstream</summary>
      <ApiForm label="Add an upstream" submit="Add upstream" action={create}>
        <Field id="upstream-name" label="Name" value={name} onInput={setName} required />
        <Field
          id="upstream-url"
          label="URL"
          value={url}
          onInput={setUrl}
          placeholder="https://api.openai.com"
          required
        />
        <Field
          id="upstream-models"
          label="Models"
          value={models}
          onInput={setModels}
          hint="comma separated; globs such as gpt-4o* allowed; empty: any"
        />
      </ApiForm>
    </details>
  );
}
