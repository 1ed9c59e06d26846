import { useState } from 'preact/hooks';
import { call } from '../api/client';
import { ApiForm } from '../components/api-form';
import { Field } from '../components/field';

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const PERIODS = ['day', 'week', 'month', 'total'] as const;

/** The body of POST /admin/clients from the form's fields (empty fields are left out). */
function body(fields: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: fields.name };
  if (list(fields.models!).length) out.models = list(fields.models!);
  if (list(fields.routes!).length) out.routes = list(fields.routes!);
  if (fields.rpm) out.limits = { rpm: Number(fields.rpm) };
  if (fields.quota) out.quota = { tokens: Number(fields.quota), period: fields.period };
  if (fields.budget) out.budget = { usd: Number(fields.budget), period: fields.period };
  return out;
}

/** Creates a client; the API answers its token, shown once. */
export function ClientCreate({ onCreated }: { onCreated: (name: string, key: string) => void }) {
  const [fields, setFields] = useState<Record<string, string>>({
    name: '',
    models: '',
    routes: '',
    rpm: '',
    quota: '',
    budget: '',
    period: 'month',
  });
  const set = (name: string) => (value: string) => setFields({ ...fields, [name]: value });
  const create = async () => {
    const created = await call<{ name: string; key: string }>('POST', '/admin/clients', {
      json: body(fields),
    });
    onCreated(created.name, created.key);
    setFields({ ...fields, name: '' });
  };
  return (
    <section class="panel" aria-labelledby="client-create-title">
      <h2 id="client-create-title">Create a client</h2>
      <ApiForm label="Create a client" submit="Create client" action={create}>
        <Field id="client-name" label="Client name" value={fields.name!} onInput={set('name')} required />
        <Field
          id="client-models"
          label="Allowed models"
          value={fields.models!}
          onInput={set('models')}
          hint="comma separated; empty: any"
        />
        <Field
          id="client-routes"
          label="Allowed routes"
          value={fields.routes!}
          onInput={set('routes')}
          hint="comma separated; empty: any"
        />
        <Field
          id="client-rpm"
          label="Requests per minute"
          type="number"
          value={fields.rpm!}
          onInput={set('rpm')}
        />
        <Field
          id="client-quota"
          label="Token quota"
          type="number"
          value={fields.quota!}
          onInput={set('quota')}
        />
        <Field
          id="client-budget"
          label="Budget (USD)"
          type="number"
          value={fields.budget!}
          onInput={set('budget')}
        />
        <div class="field">
          <label for="client-period">Quota and budget period</label>
          <select
            id="client-period"
            value={fields.period}
            onChange={(e) => set('period')(e.currentTarget.value)}
          >
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
      </ApiForm>
    </section>
  );
}
