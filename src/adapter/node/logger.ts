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

/**
 * Structured logs: JSON when piped, readable when on a terminal. Every line passes through the
 * redactor before it is written, so no code path can log a secret in full.
 */
export function createLogger(options: LoggerOptions): Logger {
  const usePretty =
    options.format === 'pretty' || (options.format === 'auto' && process.stdout.isTTY === true);
  const sink = options.destination ?? process.stdout;
  const target = usePretty ? prettyInto(sink) : sink;
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: { streamWrite: (line) => options.redactor.redact(line) },
    },
    target as pino.DestinationStream,
  );
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
