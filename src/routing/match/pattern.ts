import picomatch from 'picomatch';
import type { Pattern } from '../../config/schema/route-match';

/** One precompiled condition on one request value. */
export type ValueTest = (value: string) => boolean;

export type PatternKind = 'model' | 'path' | 'host' | 'header';

/**
 * Glob dialects: in paths `*` is one segment and `**` any depth; in model names, hosts and header
 * values `*` matches anything (model names such as `meta-llama/Llama-3` contain slashes).
 */
const GLOB_OPTIONS: Readonly<Record<PatternKind, picomatch.PicomatchOptions>> = {
  model: { bash: true, dot: true },
  path: { dot: true },
  host: { bash: true, dot: true, nocase: true },
  header: { bash: true, dot: true },
};

/**
 * Compiles patterns once, at configuration load: exact strings go into a set, globs and
 * `{ regex }` into regular expressions. Hosts compare in lower case (the caller lowers the value).
 */
export function compilePatterns(patterns: readonly Pattern[], kind: PatternKind): ValueTest {
  const exact = new Set<string>();
  const regexes: RegExp[] = [];
  for (const pattern of patterns) {
    if (typeof pattern !== 'string') regexes.push(new RegExp(pattern.regex, pattern.flags));
    else if (picomatch.scan(pattern).isGlob) regexes.push(picomatch.makeRe(pattern, GLOB_OPTIONS[kind]));
    else exact.add(kind === 'host' ? pattern.toLowerCase() : pattern);
  }
  if (regexes.length === 0) return (value) => exact.has(value);
  return (value) => {
    if (exact.has(value)) return true;
    for (const regex of regexes) if (regex.test(value)) return true;
    return false;
  };
}

/** True when a pattern names exactly one value (no glob, no regex): such names can be advertised. */
export function isLiteral(pattern: Pattern): pattern is string {
  return typeof pattern === 'string' && !picomatch.scan(pattern).isGlob;
}
