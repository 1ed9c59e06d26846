import { parseArgs } from 'node:util';
import { loadConfig, resolveConfigPath } from '../adapter/node/config-files';
import { createProbeSender } from '../adapter/node/probe-sender';
import { type Clock, systemClock } from '../health/clock';
import type { ProbeSender } from '../health/probe';
import { type SpeedTestRow, speedTest } from '../health/speed-test';
import { configSecrets } from '../observe/config-secrets';
import { Redactor } from '../observe/redact';
import { createUpstream } from '../routing/upstream';

export const PROBE_HELP = `switchyard probe — measure every upstream and rank them

Usage:
  switchyard probe [--config FILE] [--count N] [--upstream NAME]... [--path PATH] [--method M] [--json]

Each upstream gets N requests, one after another (upstreams side by side): its health_check
request when it has one, else GET /v1/models with its first key. Prints time to first byte
(min/avg/p50/p95/p99/max, ms) and errors, best first, and a recommended order.

Options:
  -c, --config FILE     configuration file (as for starting the gateway)
  -n, --count N         requests per upstream (default 10)
  -u, --upstream NAME   only this upstream (repeatable)
      --path PATH       probe this path instead (appended to each upstream URL)
      --method M        with this method
      --timeout MS      per request (default: the health check's, else 5000)
      --json            print JSON instead of a table
`;

export interface ProbeCommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly write: (text: string) => void;
  /** Where usage errors go (stderr). */
  readonly error: (text: string) => void;
  readonly send?: ProbeSender;
  readonly clock?: Clock;
}

/** `switchyard probe`: returns the exit code (1 when no upstream answered at all). */
export async function probeCommand(argv: string[], io: ProbeCommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      count: { type: 'string', short: 'n', default: '10' },
      upstream: { type: 'string', short: 'u', multiple: true },
      path: { type: 'string' },
      method: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.write(PROBE_HELP);
    return 0;
  }
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1) {
    io.error(`switchyard probe: --count must be a positive integer, not "${values.count}"\n`);
    return 2;
  }
  const { config } = loadConfig(resolveConfigPath(values.config, io.env, io.cwd), io.env);
  const wanted = values.upstream;
  const unknown = wanted?.filter((name) => !config.upstreams.some((u) => u.name === name)) ?? [];
  if (unknown.length > 0) {
    io.error(`switchyard probe: unknown upstream ${unknown.map((name) => `"${name}"`).join(', ')}\n`);
    return 2;
  }
  const upstreams = config.upstreams
    .filter((u) => (wanted ? wanted.includes(u.name) : u.enabled))
    .map((u) => createUpstream(u, config.health, Math.random));
  if (upstreams.length === 0) {
    io.write('no upstream to probe: the configuration has none\n');
    return 1;
  }
  const own = io.send ? undefined : createProbeSender();
  try {
    const rows = await speedTest(upstreams, io.send ?? own!.send, io.clock ?? systemClock, {
      count,
      path: values.path,
      method: values.method,
      timeoutMs: values.timeout === undefined ? undefined : Number(values.timeout),
    });
    const redactor = new Redactor();
    redactor.replaceAll(configSecrets(config));
    io.write(
      redactor.redact(
        values.json ? `${JSON.stringify({ count, upstreams: rows }, null, 2)}\n` : formatTable(rows, count),
      ),
    );
    return rows.some((row) => row.ok > 0) ? 0 : 1;
  } finally {
    await own?.close();
  }
}

const COLUMNS = ['min', 'avg', 'p50', 'p95', 'p99', 'max'] as const;

/** The ranked table, then the recommended order and the upstreams that never answered. */
export function formatTable(rows: readonly SpeedTestRow[], count: number): string {
  const header = ['rank', 'upstream', 'ok', 'errors', ...COLUMNS];
  const lines = rows.map((row, index) => [
    row.latency ? String(index + 1) : '-',
    row.upstream,
    `${row.ok}/${row.sent}`,
    String(row.errors),
    ...COLUMNS.map((column) => (row.latency ? row.latency[column].toFixed(1) : '-')),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const render = (cells: string[]) =>
    cells.map((cell, i) => (i === 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out = [`${count} requests per upstream; time to first byte in ms, best first`, '', render(header)];
  for (const line of lines) out.push(render(line));
  const answered = rows.filter((row) => row.latency);
  const silent = rows.filter((row) => !row.latency);
  out.push('');
  out.push(
    `recommended order: ${answered.length > 0 ? answered.map((row) => row.upstream).join(', ') : '(none answered)'}`,
  );
  for (const row of rows) {
    if (row.errors > 0) out.push(`  ${row.upstream}: ${row.errors} error(s), last: ${row.lastError}`);
  }
  if (silent.length > 0) out.push(`not answering: ${silent.map((row) => row.upstream).join(', ')}`);
  return `${out.join('\n')}\n`;
}
