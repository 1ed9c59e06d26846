import { describe, expect, it } from 'vitest';
import { urlCredentials } from './config-secrets';

describe('database URL credentials', () => {
  it('are the password, as written and decoded', () => {
    expect(urlCredentials('postgres://sy:pw-secret@db:5432/x')).toEqual(['pw-secret']);
    expect(urlCredentials('postgres://sy:p%40ss%2Fword@db/x?sslmode=require')).toEqual([
      'p%40ss%2Fword',
      'p@ss/word',
    ]);
    expect(urlCredentials('postgres://sy@db/x')).toEqual([]);
    expect(urlCredentials(undefined)).toEqual([]);
  });
});
