import { existsSync, readFileSync } from 'node:fs';

/** The length of a piece of a secret that counts as a leak: long enough to be no accident. */
export const PIECE = 12;

/** One place a piece of a secret was found. */
export interface Leak {
  readonly source: string;
  /** Which secret (its index in the list given), never the secret itself. */
  readonly secret: number;
  readonly piece: string;
  readonly at: number;
}

/** Named texts to scan: log lines, response bodies, database files (bytes), metrics. */
export type Sources = Readonly<Record<string, string | Buffer | readonly string[]>>;

/**
 * Every PIECE-character substring of each secret (a secret shorter than that is its own only
 * piece), mapped to the secret's index.
 */
export function secretPieces(secrets: readonly string[], size = PIECE): Map<string, number> {
  const pieces = new Map<string, number>();
  secrets.forEach((secret, index) => {
    if (secret.length <= size) {
      pieces.set(secret, index);
      return;
    }
    for (let i = 0; i + size <= secret.length; i++) pieces.set(secret.slice(i, i + size), index);
  });
  return pieces;
}

/**
 * Where any secret, or any PIECE-character piece of one, appears in the sources. Bytes are read
 * as latin1 (one character per byte), so an ASCII secret is found in any binary file.
 */
export function findLeaks(secrets: readonly string[], sources: Sources): Leak[] {
  const pieces = secretPieces(secrets);
  const short = [...pieces.keys()].filter((piece) => piece.length < PIECE);
  const leaks: Leak[] = [];
  for (const [source, value] of Object.entries(sources)) {
    const text = textOf(value);
    for (let i = 0; i + PIECE <= text.length; i++) {
      const piece = text.slice(i, i + PIECE);
      const secret = pieces.get(piece);
      if (secret !== undefined) leaks.push({ source, secret, piece, at: i });
    }
    for (const piece of short) {
      const at = text.indexOf(piece);
      if (at !== -1) leaks.push({ source, secret: pieces.get(piece)!, piece, at });
    }
  }
  return leaks;
}

/** Throws, naming each source and piece, when findLeaks finds anything. */
export function expectNoSecrets(secrets: readonly string[], sources: Sources): void {
  const leaks = findLeaks(secrets, sources);
  if (leaks.length === 0) return;
  const lines = leaks
    .slice(0, 20)
    .map((leak) => `  secret #${leak.secret} piece "${leak.piece}" in ${leak.source} at ${leak.at}`);
  throw new Error(`${leaks.length} piece(s) of secrets found:\n${lines.join('\n')}`);
}

/** The SQLite database file and its `-wal` and `-shm` files, those that exist, as bytes. */
export function databaseFiles(path: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) out[`database file ${path}${suffix}`] = readFileSync(path + suffix);
  }
  return out;
}

/**
 * What a running gateway shows operators and clients without a request of the test's own:
 * `/metrics` and the main admin API listings, each as status, headers and body.
 */
export async function gatewayOutput(baseUrl: string, adminKey: string): Promise<Record<string, string>> {
  const paths = ['/metrics', '/admin/upstreams', '/admin/clients', '/admin/routes', '/admin/config'];
  const out: Record<string, string> = {};
  for (const path of paths) {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${adminKey}` } });
    out[path] = `${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`;
  }
  return out;
}

function textOf(value: string | Buffer | readonly string[]): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  return value.join('\n');
}
