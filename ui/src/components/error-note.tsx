import { ApiError } from '../api/client';

/** An error the API gave (or a network failure), said plainly; role=alert so it is read out. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <p class="error" role="alert">
      {message}
      {code ? <span class="code"> ({code})</span> : null}
    </p>
  );
}
