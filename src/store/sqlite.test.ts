import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openSqlite } from './sqlite';

describe('the embedded SQLite store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates the file and its folder, in WAL mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-store-'));
    dirs.push(dir);
    const db = openSqlite(join(dir, 'nested', 'switchyard.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('runs each migration once, across reopenings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-store-'));
    dirs.push(dir);
    const file = join(dir, 'db.sqlite');
    const migrations = [
      { name: '001-things', up: 'CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)' },
      { name: '002-seed', up: "INSERT INTO things (name) VALUES ('first')" },
    ];
    const first = openSqlite(file);
    expect(migrate(first, migrations)).toEqual(['001-things', '002-seed']);
    first.close();
    const second = openSqlite(file);
    expect(migrate(second, migrations)).toEqual([]);
    expect(second.prepare('SELECT COUNT(*) AS n FROM things').get()).toEqual({ n: 1 });
    second.close();
  });

  it('rolls back a failing migration whole', () => {
    const db = openSqlite(':memory:');
    expect(() =>
      migrate(db, [
        {
          name: '001-bad',
          up: (d) => {
            d.exec('CREATE TABLE t (x)');
            d.exec('NOT SQL');
          },
        },
      ]),
    ).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
    expect(migrate(db, [{ name: '001-bad', up: 'CREATE TABLE t (x)' }])).toEqual(['001-bad']);
  });
});
