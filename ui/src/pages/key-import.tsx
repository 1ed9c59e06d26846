import { useState } from 'preact/hooks';
import { call, enc, get, query } from '../api/client';
import { runAll } from '../api/run-all';
import type { ImportResult, KeyPage, KeyView, ValidationResult } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { count } from '../format';

/** Imported keys validated one by one at most (a bigger import is validated by traffic). */
const MAX_VALIDATED = 1000;

interface Summary {
  readonly imported?: ImportResult;
  readonly progress?: string;
  readonly valid?: number;
  readonly invalid?: readonly string[];
}

/** The keys just added: the import appends them, so they are the last `added` of the list. */
async function importedKeys(upstream: string, result: ImportResult): Promise<KeyView[]> {
  const wanted = Math.min(result.added, MAX_VALIDATED);
  const offset = result.total - result.added;
  const page = await get<KeyPage>(
    `/admin/upstreams/${enc(upstream)}/keys${query({ offset, limit: wanted })}`,
  );
  return [...page.keys];
}

/** Bulk import (paste or file), then optional validation with progress and a summary. */
export function KeyImport({ upstream, onImported }: { upstream: string; onImported: () => void }) {
  const [text, setText] = useState('');
  const [validate, setValidate] = useState(true);
  const [summary, setSummary] = useState<Summary>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const readFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (file) setText(await file.text());
  };

  const validateAll = async (imported: ImportResult) => {
    const keys = await importedKeys(upstream, imported);
    const invalid: string[] = [];
    const check = async (key: KeyView) => {
      const path = `/admin/upstreams/${enc(upstream)}/keys/${enc(key.id)}/validate`;
      const result = await call<ValidationResult>('POST', path);
      if (result.ok === false) invalid.push(`${key.key}: ${String(result.detail ?? 'invalid')}`);
    };
    const progress = (done: number) =>
      setSummary({ imported, progress: `Validating: ${done} of ${keys.length}` });
    const { ok, failed } = await runAll(keys, check, progress);
    for (const f of failed) invalid.push(`${f.item.key}: ${f.message}`);
    setSummary({ imported, valid: ok - (invalid.length - failed.length), invalid });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setSummary({});
    try {
      const imported = await call<ImportResult>('POST', `/admin/upstreams/${enc(upstream)}/keys`, { text });
      setSummary({ imported });
      setText('');
      onImported();
      if (validate && imported.added > 0) await validateAll(imported);
      onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="import-title">
      <h2 id="import-title">Import keys</h2>
      <form onSubmit={submit}>
        <label for="import-text">Keys to import</label>
        <textarea
          id="import-text"
          rows={6}
          spellcheck={false}
          placeholder="one key per line (or comma separated); # starts a comment"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <label for="import-file">Or read them from a file</label>
        <input
          id="import-file"
          type="file"
          accept=".txt,.csv,text/plain"
          onChange={(e) => readFile(e.currentTarget)}
        />
        <label class="check">
          <input type="checkbox" checked={validate} onChange={(e) => setValidate(e.currentTarget.checked)} />
          Validate the imported keys (up to {count(MAX_VALIDATED)})
        </label>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy || text.trim() === ''}>
            Import
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      <ImportSummary summary={summary} />
    </section>
  );
}

function ImportSummary({ summary }: { summary: Summary }) {
  const { imported, progress, valid, invalid } = summary;
  if (!imported) return null;
  return (
    <div class="summary" role="status">
      <p>
        Added {count(imported.added)}, skipped {count(imported.duplicates)} duplicates; the upstream has{' '}
        {count(imported.total)} keys.
      </p>
      {progress ? <p>{progress}</p> : null}
      {valid !== undefined ? (
        <p>
          Valid: {count(valid)}. Invalid: {count(invalid?.length ?? 0)}.
        </p>
      ) : null}
      {invalid && invalid.length > 0 ? (
        <ul class="invalid">
          {invalid.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
