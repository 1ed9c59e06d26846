/**
 * The structured logger the core writes to. The Node adapter makes one with pino
 * (src/adapter/node/logger.ts); the worker adapter writes JSON lines to the console. Both pass
 * every line through the redactor before it is written.
 */
export interface LogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

export interface Logger {
  /** The lowest level written: trace, debug, info, warn, error, fatal or silent. */
  level: string;
  isLevelEnabled(level: string): boolean;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /**
   * An `info` line whose every text field the caller already passed through the redactor
   * (`Redactor.redactField`): written without the scan of the whole line, which would find
   * nothing more. The request line uses it; a logger without it gets `info`.
   */
  infoRedacted?(fields: object, message: string): void;
}
