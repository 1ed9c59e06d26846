import { h } from 'preact';

interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly type?: 'text' | 'number' | 'datetime-local' | 'url';
  readonly placeholder?: string;
  readonly required?: boolean;
  readonly hint?: string;
}

/** A labelled text input. */
export function Field({ id, label, value, onInput, type = 'text', placeholder, required, hint }: FieldProps) {
  const input = h('input', {
    id,
    type,
    value,
    placeholder,
    required,
    'aria-describedby': hint ? `${id}-hint` : undefined,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
  });
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {input}
      {hint ? (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}
