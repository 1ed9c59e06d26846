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

  it('redactRegistered masks registered secrets only and leaves key-shaped content', () => {
    const redactor = new Redactor();
    redactor.add('sk-registered-key-000000007');
    redactor.add('appid:secret-with-colon-1');
    const text =
      'sent sk-registered-key-000000007, appid:secret-with-colon-1; example sk-written-by-a-model-42';
    expect(redactor.redactRegistered(text)).toBe(
      'sent sk-...0007, ...on-1; example sk-written-by-a-model-42',
    );
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

describe('Redactor with secrets outside the token alphabet', () => {
  const IFLYTEK = 'a1b2c3d4e5f6:Zx9Yw8Vu7Ts6Rq5Po4';
  const ODD = [
    'user@example.com!pa%ss',
    'key=value=secret-0001',
    'Bearer tok-WITH-SPACE-0002',
    'q"uo\\te-0003',
  ];
  const redactor = new Redactor();
  redactor.replaceAll([IFLYTEK, ...ODD, 'a:b!c']);

  it('finds an appid:secret key in an upstream error, in JSON and glued to other text', () => {
    const body = JSON.stringify({ error: { message: `Incorrect API key provided: ${IFLYTEK}.` } });
    expect(redactor.redact(body)).toBe('{"error":{"message":"Incorrect API key provided: ...5Po4."}}');
    expect(redactor.redact(`x${IFLYTEK}y and (${IFLYTEK})`)).toBe('x...5Po4y and (...5Po4)');
  });

  it('finds secrets with @ ! = % and spaces, short ones too', () => {
    for (const secret of ODD.slice(0, 3)) {
      const out = redactor.redact(`before ${secret} after`);
      expect(out).not.toContain(secret);
      expect(out).toBe(`before ${maskSecret(secret)} after`);
    }
    expect(redactor.redact('short a:b!c;')).toBe('short ...;');
  });

  it('finds a secret with quotes and backslashes in a JSON log line and keeps the line valid JSON', () => {
    const secret = ODD[3]!;
    const line = JSON.stringify({ msg: `sent ${secret}` });
    const out = redactor.redact(line);
    expect(out).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(JSON.parse(out)).toEqual({ msg: `sent ${maskSecret(secret)}` });
  });

  it('still masks provider-shaped keys and leaves ordinary lines alone', () => {
    expect(redactor.redact('a:b sk-live-abcdefghijk user@example.com')).toBe(
      'a:b sk-...hijk user@example.com',
    );
    const line = '{"level":30,"msg":"request","path":"/v1/chat/completions","status":200}';
    expect(redactor.redact(line)).toBe(line);
  });

  it('finds any of 100,000 keys of the appid:secret shape', () => {
    const many = new Redactor();
    const keys = Array.from(
      { length: 100_000 },
      (_, i) => `app${i % 100}:${String(i).padStart(6, '0')}secretsecret`,
    );
    many.replaceAll(keys);
    for (const i of [0, 4_242, 99_999]) {
      const line = `{"error":"bad key ${keys[i]}","other":"app7:nothing"}`;
      expect(many.redact(line)).toBe(`{"error":"bad key ${maskSecret(keys[i]!)}","other":"app7:nothing"}`);
    }
  });
});

describe('redactField', () => {
  it('masks like redact and forgets its answers when the secrets change', () => {
    const redactor = new Redactor();
    const path = '/v1/models/tok_live_FIELDSECRET12345';
    expect(redactor.redactField(path)).toBe(path);
    redactor.add('tok_live_FIELDSECRET12345');
    expect(redactor.redactField(path)).toBe('/v1/models/...2345');
    redactor.replaceAll([]);
    expect(redactor.redactField(path)).toBe(path);
  });

  it('masks key-shaped text and values too long to remember', () => {
    const redactor = new Redactor();
    const long = `${'x'.repeat(300)} sk-proj-NOTREGISTERED0123`;
    expect(redactor.redactField('agent sk-proj-NOTREGISTERED0123')).toBe('agent sk-...0123');
    expect(redactor.redactField(long)).toBe(`${'x'.repeat(300)} sk-...0123`);
  });
});

describe('Redactor without secrets that hold separators', () => {
  const redactor = new Redactor();
  redactor.replaceAll(['upstream-secret-000111']);

  it('finds secrets and key shapes as segments of paths and file names', () => {
    expect(redactor.redact('GET /v1/models/upstream-secret-000111/x')).toBe('GET /v1/models/...0111/x');
    expect(redactor.redact('open /tmp/sk-ant-api03-NEVERSEEN1234.txt')).toBe('open /tmp/sk-...1234.txt');
    expect(redactor.redactRegistered('a/upstream-secret-000111.b/sk-ant-api03-CONTENT1234')).toBe(
      'a/...0111.b/sk-ant-api03-CONTENT1234',
    );
  });

  it('masks separated secrets once one is registered', () => {
    redactor.add('abc/def+ghi/jkl==');
    expect(redactor.redact('path /x/abc/def+ghi/jkl==/y')).toBe('path /x/...kl==/y');
  });
});
