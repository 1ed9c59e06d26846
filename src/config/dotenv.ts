/**
 * `.env` files: `NAME=value` lines, `#` comments, an optional `export ` prefix, values in single
 * quotes (taken literally) or double quotes (`\n`, `\t`, `\"` and `\\` escapes, may span lines).
 * Unquoted values end at ` #` and are trimmed.
 */
const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

export interface DotenvResult {
  readonly values: Record<string, string>;
  /** 1-based numbers of lines that are neither blank, a comment nor `NAME=value`. */
  readonly badLines: number[];
}

export function parseDotenv(text: string): DotenvResult {
  const values: Record<string, string> = {};
  const badLines: number[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) {
      badLines.push(i + 1);
      continue;
    }
    let raw = match[2]!;
    const quote = raw[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may continue on the next lines until its closing quote.
      while (!closes(raw, quote) && i + 1 < lines.length) raw += `\n${lines[++i]}`;
      values[match[1]!] = unquote(raw, quote);
    } else {
      values[match[1]!] = raw.replace(/\s+#.*$/, '').trim();
    }
  }
  return { values, badLines };
}

function closes(raw: string, quote: string): boolean {
  for (let j = 1; j < raw.length; j++) {
    if (quote === '"' && raw[j] === '\\') j++;
    else if (raw[j] === quote) return true;
  }
  return false;
}

function unquote(raw: string, quote: string): string {
  let out = '';
  for (let j = 1; j < raw.length; j++) {
    const c = raw[j]!;
    if (c === quote) return out;
    if (quote === '"' && c === '\\' && j + 1 < raw.length) {
      const next = raw[++j]!;
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
    } else out += c;
  }
  return out;
}

/**
 * Copies the file's variables into `env` where `env` has none yet (the process environment
 * always wins). Returns the names it set.
 */
export function applyDotenv(
  values: Readonly<Record<string, string>>,
  env: Record<string, string | undefined>,
): string[] {
  const set: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}
