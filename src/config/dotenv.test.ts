import { describe, expect, it } from 'vitest';
import { applyDotenv, parseDotenv } from './dotenv';

describe('parseDotenv', () => {
  it('reads plain, exported, quoted and commented lines', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value one  # trailing comment',
      'export EXPORTED=yes',
      "SINGLE='keep $HOME \\n as is'",
      'DOUBLE="line1\\nline2 \\"quoted\\""',
      'MULTI="first',
      'second"',
      'EMPTY=',
      'HASH=a#b',
    ].join('\r\n');
    const { values, badLines } = parseDotenv(text);
    expect(badLines).toEqual([]);
    expect(values).toEqual({
      PLAIN: 'value one',
      EXPORTED: 'yes',
      SINGLE: 'keep $HOME \\n as is',
      DOUBLE: 'line1\nline2 "quoted"',
      MULTI: 'first\nsecond',
      EMPTY: '',
      HASH: 'a#b',
    });
  });

  it('names the lines that are not NAME=value', () => {
    expect(parseDotenv('A=1\nnot a line\n2BAD=x\n').badLines).toEqual([2, 3]);
  });
});

describe('applyDotenv', () => {
  it('never overrides a variable already set, even to an empty string', () => {
    const env: Record<string, string | undefined> = { SET: 'from-env', EMPTY: '' };
    const set = applyDotenv({ SET: 'from-file', EMPTY: 'from-file', NEW: 'from-file' }, env);
    expect(env).toEqual({ SET: 'from-env', EMPTY: '', NEW: 'from-file' });
    expect(set).toEqual(['NEW']);
  });
});
