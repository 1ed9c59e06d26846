import { describe, expect, it } from 'vitest';
import { fingerprint, maskSecret } from './mask';
import { Redactor } from './redact';

describe('masking and redaction', () => {
  it('masks as prefix...last4, and hides short secrets entirely', () => {
    expect(maskSecret('sk-proj-abcdefghijklmnop1234')).toBe('sk-...1234');
    expect(maskSecret('AIzaSyA-very-long-google-key-9876')).toBe('...9876');
    expect(maskSecret('sk-short')).toBe('sk-...');
    expect(maskSecret('tiny')).toBe('...');
  });

  it('fingerprints are stable and do not contain the secret', () => {
    expect(fingerprint('sk-abc')).toBe(fingerprint('sk-abc'));
    expect(fingerprint('sk-abc')).not.toBe(fingerprint('sk-abd'));
    expect(fingerprint('sk-abc')).toMatch(/^[0-9a-f]{12}$/);
  });

  it('redacts registered secrets of any shape and anything shaped like a provider key', () => {
    const redactor = new Redactor();
    redactor.add('custom-token-without-prefix-000111');
    redactor.add('pw12345');
    const text =
      'auth custom-token-without-prefix-000111 and sk-unknown-but-shaped-like-a-key-9999 and "pw12345" kept: 0123-request-id';
    const out = redactor.redact(text);
    expect(out).not.toContain('custom-token-without-prefix-000111');
    expect(out).not.toContain('sk-unknown-but-shaped-like-a-key-9999');
    expect(out).not.toContain('pw12345');
    expect(out).toContain('...0111');
    expect(out).toContain('sk-...9999');
    expect(out).toContain('0123-request-id');
  });
});

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
