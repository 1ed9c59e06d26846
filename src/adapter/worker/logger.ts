import type { Logger } from '../../observe/logger';
import type { Redactor } from '../../observe/redact';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
type Level = (typeof LEVELS)[number];

/**
 * JSON log lines on the Worker's console (Workers Logs and `wrangler tail` collect them), each
 * line through the redactor first: the core's Logger interface (src/observe/logger.ts).
 */
export function workerLogger(redactor: Redactor, level: string, write = consoleWrite): Logger {
  const state = { level };
  const enabled = (wanted: Level): boolean => {
    const at = LEVELS.indexOf(state.level as Level);
    return state.level !== 'silent' && LEVELS.indexOf(wanted) >= (at < 0 ? 2 : at);
  };
  const emit = (wanted: Level) => (first: unknown, second?: unknown) => {
    if (!enabled(wanted)) return;
    const fields = typeof first === 'object' && first !== null ? fieldsOf(first) : {};
    const msg = typeof first === 'string' ? first : typeof second === 'string' ? second : undefined;
    const line = JSON.stringify({ level: wanted, time: new Date().toISOString(), ...fields, msg });
    write(wanted, redactor.redact(line));
  };
  const logger = {
    get level() {
      return state.level;
    },
    set level(value: string) {
      state.level = value;
    },
    isLevelEnabled: enabled,
    child: () => logger,
    trace: emit('trace'),
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    fatal: emit('fatal'),
  };
  return logger;
}

/** Fields of a log call; an `err` becomes its message and stack (an Error has no own fields). */
function fieldsOf(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...value };
  const err = (value as { err?: unknown }).err;
  if (err instanceof Error) out.err = { type: err.name, message: err.message, stack: err.stack };
  return out;
}

function consoleWrite(level: Level, line: string): void {
  if (level === 'error' || level === 'fatal') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
