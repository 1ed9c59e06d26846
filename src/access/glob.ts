/**
 * Model allowlists: `*` matches any run of characters, `?` one character, everything else
 * itself (`gpt-4o*` matches `gpt-4o` and `gpt-4o-mini`). Compiled once into one regex.
 */
export function compileGlobs(patterns: readonly string[]): RegExp {
  const alternatives = patterns.map((pattern) =>
    pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.'),
  );
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

/** Values keyed by model name or glob: exact names first, then globs in the order given. */
export class GlobMap<T> {
  private readonly exact = new Map<string, T>();
  private readonly globs: { regex: RegExp; value: T }[] = [];

  constructor(entries: Iterable<readonly [string, T]>) {
    for (const [pattern, value] of entries) {
      if (pattern.includes('*') || pattern.includes('?'))
        this.globs.push({ regex: compileGlobs([pattern]), value });
      else this.exact.set(pattern, value);
    }
  }

  get(name: string): T | undefined {
    const exact = this.exact.get(name);
    if (exact !== undefined) return exact;
    for (const glob of this.globs) if (glob.regex.test(name)) return glob.value;
    return undefined;
  }
}
