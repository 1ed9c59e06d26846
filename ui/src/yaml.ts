/**
 * A JSON value as block-style YAML (for "export as YAML"); strings are quoted when YAML would
 * read them as something else. A non-empty map or list comes back starting with a new line.
 */
export function toYaml(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return value.map((item) => `\n${indent}- ${listItem(toYaml(item, inner), item)}`).join('');
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return entries.map(([k, v]) => `\n${indent}${scalar(k)}:${mapValue(toYaml(v, inner))}`).join('');
  }
  return scalar(value);
}

function mapValue(text: string): string {
  return text.startsWith('\n') ? text : ` ${text}`;
}

/** A map in a list starts on the dash's line. */
function listItem(text: string, item: unknown): string {
  return text.startsWith('\n') && !Array.isArray(item) ? text.replace(/^\n\s*/, '') : text;
}

function scalar(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = String(value);
  const plain = /^[A-Za-z_/.][\w./-]*$/.test(text) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(text);
  return plain ? text : JSON.stringify(text);
}

export function configYaml(config: unknown): string {
  return `${toYaml(config).replace(/^\n/, '')}\n`;
}
