import { useState } from 'preact/hooks';
import { ApiError, call } from '../api/client';
import { signIn } from '../api/session';

/** The admin key, checked against the admin API before the session keeps it. */
export function SignIn() {
  const [key, setKey] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      await call('GET', '/admin/health', { key });
      signIn(key);
    } catch (err) {
      const refused = err instanceof ApiError && err.status === 401;
      setError(refused ? 'That admin key was refused.' : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Switchyard</h1>
        <p class="note">Sign in with the gateway's admin key. It is kept for this tab only.</p>
        <label for="admin-key">Admin key</label>
        <input
          id="admin-key"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
        <button type="submit" class="primary" disabled={busy || key === ''}>
          Sign in
        </button>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </main>
  );
}
