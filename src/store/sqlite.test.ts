import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it('creates the database, its -wal and -shm files 0600 and its new folder 0700', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-store-'));
    dirs.push(dir);
    const file = join(dir, 'data', 'switchyard.db');
    const db = openSqlite(file);
    db.exec('CREATE TABLE t (x INTEGER)');
    db.prepare('INSERT INTO t (x) VALUES (1)').run();
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(join(dir, 'data'))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
    db.close();
  });

  it('makes an existing world-readable database and WAL file 0600 when it opens them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-store-'));
    dirs.push(dir);
    const file = join(dir, 'old.db');
    openSqlite(file).close();
    writeFileSync(`${file}-wal`, '');
    chmodSync(file, 0o644);
    chmodSync(`${file}-wal`, 0o644);
    const db = openSqlite(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
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
