import { KEY_ACTIONS, type KeyAction } from './key-actions';

interface KeyActionBarProps {
  readonly count: number;
  readonly writable: boolean;
  readonly onAction: (action: KeyAction) => void;
}

/** The actions on the selected keys. */
export function KeyActionBar({ count, writable, onAction }: KeyActionBarProps) {
  return (
    <fieldset class="bulk">
      <legend class="visually-hidden">Selected keys</legend>
      <span>{count} selected</span>
      {KEY_ACTIONS.filter((a) => writable || !a.writes).map(({ action, label }) => (
        <button
          key={action}
          type="button"
          class="small"
          disabled={count === 0}
          onClick={() => onAction(action)}
        >
          {label} selected
        </button>
      ))}
    </fieldset>
  );
}
