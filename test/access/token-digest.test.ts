import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, admin } from '../helpers/admin';
import { startTestGateway } from '../helpers/gateway';

const TOKEN = 'sk-sy-dana-Zm9vYmFyLWJhc2U2NC1sb29raW5nLTEy';

/** Every reversible encoding of the token a careless store could hold. */
function encodings(token: string): string[] {
  const bytes = Buffer.from(token, 'utf8');
  return [token, bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex')].flatMap(
    (text) => [text, text.toUpperCase(), text.toLowerCase()],
  );
}

/** Creates the client "dana" with TOKEN in a gateway whose store (and secret) live in `dir`. */
async function storedDigest(dir: string): Promise<Buffer> {
  const path = join(dir, 'switchyard.db');
  const gw = await startTestGateway({ admin: { key: ADMIN_KEY }, store: { path } });
  try {
    const created = await admin(gw.url, 'POST', '/admin/clients', { json: { name: 'dana', key: TOKEN } });
    expect(created.status).toBe(201);
  } finally {
    await gw.stop(1000);
  }
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT token_digest FROM clients WHERE name = 'dana'").get() as {
      token_digest: Buffer;
    };
    return row.token_digest;
  } finally {
    db.close();
  }
}

describe('the stored client-token digest', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sy-digest-'));
    dirs.push(dir);
    return dir;
  }

  it('holds no reversible encoding of the token, and depends on the gateway secret', async () => {
    const first = await storedDigest(tempDir());
    const second = await storedDigest(tempDir());
    for (const digest of [first, second]) {
      const views = [digest.toString('latin1'), digest.toString('base64'), digest.toString('hex')];
      for (const view of views) {
        for (const encoded of encodings(TOKEN)) expect(view).not.toContain(encoded);
        // Not even the token's random part, in any of those forms.
        for (const encoded of encodings(TOKEN.slice('sk-sy-dana-'.length)))
          expect(view).not.toContain(encoded);
      }
      expect(digest.length).toBeLessThan(Buffer.byteLength(TOKEN));
    }
    // Two stores, two secrets (each secret.key is random): the same token is stored differently.
    expect(first.equals(second)).toBe(false);
  });
});
