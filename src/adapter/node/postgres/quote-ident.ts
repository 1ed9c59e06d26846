/** A PostgreSQL identifier (a schema name) quoted for SQL text, its own quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
