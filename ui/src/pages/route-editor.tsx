import { useState } from 'preact/hooks';
import { call, enc } from '../api/client';
import type { RouteView } from '../api/types';
import { ApiForm } from '../components/api-form';

const SHOWN_ONLY = new Set(['source', 'implicit', 'shadows_api_object', 'created_at', 'updated_at']);
const TEMPLATE = { name: 'my-route', match: { model: 'gpt-4o*' }, upstreams: [], strategy: 'round-robin' };

/** The route as the API takes it: what it lists, without the fields it only reports. */
function definition(route: RouteView): Record<string, unknown> {
  return Object.fromEntries(Object.entries(route).filter(([k]) => !SHOWN_ONLY.has(k)));
}

interface RouteEditorProps {
  readonly route: RouteView | null;
  readonly onDone: () => void;
  readonly onCancel: () => void;
}

/**
 * A route as JSON, exactly the file's shape (docs/routing.md), checked by the API: a refusal
 * shows its message and the field it names.
 */
export function RouteEditor({ route, onDone, onCancel }: RouteEditorProps) {
  const [text, setText] = useState(() => JSON.stringify(route ? definition(route) : TEMPLATE, null, 2));
  const save = async () => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new Error(`The definition is not valid JSON: ${(err as Error).message}`);
    }
    if (route) await call('PUT', `/admin/routes/${enc(route.name)}`, { json: body });
    else await call('POST', '/admin/routes', { json: body });
    onDone();
  };
  const title = route ? `Edit route ${route.name}` : 'New route';
  return (
    <div class="panel">
      <h2>{title}</h2>
      <ApiForm label={title} submit="Save route" action={save}>
        <label for="route-json">Route definition (JSON)</label>
        <textarea
          id="route-json"
          rows={12}
          spellcheck={false}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </ApiForm>
    </div>
  );
}
