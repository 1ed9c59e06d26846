import { describe, expect, it } from 'vitest';
import { Redactor } from './redact';

describe('Redactor', () => {
  const redactor = new Redactor();
  redactor.replaceAll(['upstream-secret-000111', 'abc/def+ghi/jkl==', 'short1']);

  it('masks known secrets and key-shaped tokens', () => {
    expect(redactor.redact('key upstream-secret-000111 and sk-live-abcdefghijk')).toBe(
      'key ...0111 and sk-...hijk',
    );
  });

  it('finds secrets inside paths and file names', () => {
    expect(redactor.redact('GET /v1/models/upstream-secret-000111/x')).toBe('GET /v1/models/...0111/x');
    expect(redactor.redact('open /tmp/sk-ant-api03-NEVERSEEN1234.txt')).toBe('open /tmp/sk-...1234.txt');
  });

  it('finds a secret that contains separators itself', () => {
    expect(redactor.redact('path /x/abc/def+ghi/jkl==/y')).toBe('path /x/...kl==/y');
  });

  it('masks short secrets wherever they are', () => {
    expect(redactor.redact('token=short1;')).toBe('token=...;');
  });

  it('leaves ordinary text alone', () => {
    const line = '{"path":"/v1/chat/completions","user_agent":"OpenAI/Python 1.2.3"}';
    expect(redactor.redact(line)).toBe(line);
  });
});
