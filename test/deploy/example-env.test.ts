import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../src/config/dotenv';

const ROOT = join(import.meta.dirname, '..', '..');

describe('switchyard.example.env', () => {
  const text = readFileSync(join(ROOT, 'switchyard.example.env'), 'utf8');

  it('lists every variable the README documents, and parses', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const documented = new Set(readme.match(/\bSWITCHYARD_[A-Z_]+\b/g));
    documented.add('PORT').add('HOST');
    documented.delete('SWITCHYARD_DB'); // a Cloudflare D1 binding's name, not a variable
    const listed = new Set([...text.matchAll(/^#?\s*([A-Z_]+)=/gm)].map((m) => m[1]));
    expect([...documented].filter((name) => !listed.has(name))).toEqual([]);
    expect(parseDotenv(text).badLines).toEqual([]);
  });
});
