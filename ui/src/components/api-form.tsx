import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';

interface ApiFormProps {
  readonly label: string;
  readonly submit: string;
  /** Runs the API call; a thrown ApiError is shown beside the form. */
  readonly action: () => Promise<void>;
  readonly children: ComponentChildren;
}

/**
 * A form whose submit calls the admin API: busy while it runs, and the API's own validation
 * message (with the field it names) shown inline when it refuses.
 */
export function ApiForm({ label, submit, action, children }: ApiFormProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | undefined>(undefined);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="api-form" onSubmit={onSubmit} aria-label={label}>
      {children}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>
          {submit}
        </button>
      </div>
      {error ? (
        <p class="error" role="alert">
          {error.message}
          {error instanceof ApiError && error.param ? (
            <span class="code"> (field: {error.param})</span>
          ) : null}
        </p>
      ) : null}
    </form>
  );
}
