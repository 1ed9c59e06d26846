/** One key per line (or comma separated); blank lines and `#` comments are ignored; duplicates dropped. */
export function parseKeyList(text: string): string[] {
  const keys = new Set<string>();
  for (const line of text.split(/[\r\n]+/)) {
    const content = line.replace(/#.*$/, '');
    for (const part of content.split(',')) {
      const key = part.trim();
      if (key) keys.add(key);
    }
  }
  return [...keys];
}
