import type { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Redactor } from '../../observe/redact';

export interface LoggerOptions {
  readonly level: string;
  readonly format: 'auto' | 'json' | 'pretty';
  readonly redactor: Redactor;
  /** Where lines go; defaults to stdout. Tests pass a collector. */
  readonly destination?: NodeJS.WritableStream;
}

/** pino's logger plus the core's `infoRedacted` (src/observe/logger.ts). */
export type NodeLogger = Logger & { infoRedacted(fields: object, message: string): void };

/**
 * Structured logs: JSON when piped, readable when on a terminal. Every line passes through the
 * redactor before it is written, so no code path can log a secret in full; the request line's
 * fields are redacted one by one where it is built (`infoRedacted`), so its line is not scanned
 * again.
 */
export function createLogger(options: LoggerOptions): NodeLogger {
  const usePretty =
    options.format === 'pretty' || (options.format === 'auto' && process.stdout.isTTY === true);
  const sink = options.destination ?? process.stdout;
  const target = (usePretty ? prettyInto(sink) : sink) as pino.DestinationStream;
  const base = { base: undefined, timestamp: isoTimeCached };
  const logger = pino(
    { ...base, level: options.level, hooks: { streamWrite: (line) => options.redactor.redact(line) } },
    target,
  );
  const prescanned = pino({ ...base, level: 'info' }, target);
  return Object.assign(logger, {
    infoRedacted(fields: object, message: string): void {
      if (logger.isLevelEnabled('info')) prescanned.info(fields, message);
    },
  });
}

let lastMs = -1;
let lastTime = '';

/** pino's `isoTime`, formatted once per millisecond: several lines share each millisecond under load. */
function isoTimeCached(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

function prettyInto(sink: NodeJS.WritableStream): Writable {
  return pretty({
    destination: sink as unknown as Writable,
    colorize: sink === process.stdout,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    singleLine: true,
  });
}
