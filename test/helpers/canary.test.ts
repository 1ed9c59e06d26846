import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/store/sqlite';
import { databaseFiles, expectNoSecrets, findLeaks } from './canary';

const SECRET = 'sk-proj-CANARYabcdefghijklmnop0123';

describe('the canary scan', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('finds a planted 12-character piece of a secret in log lines, and names where', () => {
    const logs = ['{"msg":"fine"}', '{"msg":"key was ...hijklmnop012 here"}'];
    expect(findLeaks([SECRET], { logs })).toEqual([
      { source: 'logs', secret: 0, piece: 'hijklmnop012', at: 34 },
    ]);
    expect(() => expectNoSecrets([SECRET], { logs })).toThrow(/piece "hijklmnop012" in logs/);
  });

  it('finds nothing in an 11-character piece or a masked secret', () => {
    const sources = { response: '{"key":"sk-...0123","note":"ijklmnop012"}' };
    expect(findLeaks([SECRET], sources)).toEqual([]);
    expect(() => expectNoSecrets([SECRET], sources)).not.toThrow();
  });

  it('finds a whole short secret', () => {
    expect(findLeaks(['pw-short'], { metrics: 'a pw-short b' })).toEqual([
      { source: 'metrics', secret: 0, piece: 'pw-short', at: 2 },
    ]);
  });

  it('finds a piece written to a real SQLite database, in its files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-canary-'));
    dirs.push(dir);
    const path = join(dir, 'switchyard.db');
    const db = openSqlite(path);
    db.exec('CREATE TABLE notes (text TEXT)');
    expect(findLeaks([SECRET], databaseFiles(path))).toEqual([]);
    db.prepare('INSERT INTO notes (text) VALUES (?)').run('saw NARYabcdefgh once');
    const leaks = findLeaks([SECRET], databaseFiles(path));
    expect(leaks.length).toBeGreaterThan(0);
    expect(leaks[0]!.piece).toBe('NARYabcdefgh');
    expect(leaks[0]!.source).toMatch(/switchyard\.db(-wal)?$/);
    db.close();
  });
});
