import { CopyButton } from '../components/copy-button';

/** A client's full token, shown this once (the API never shows it again). */
export function NewToken({ name, token, onDismiss }: { name: string; token: string; onDismiss: () => void }) {
  return (
    <div class="panel token" role="status">
      <p>
        The token of <strong>{name}</strong>, shown this once — copy it now:
      </p>
      <p>
        <code class="secret" id="new-token">
          {token}
        </code>{' '}
        <CopyButton text={token} label="Copy token" />
      </p>
      <button type="button" onClick={onDismiss}>
        Done
      </button>
    </div>
  );
}
