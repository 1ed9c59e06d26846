import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileSource, loadConfig } from '../../src/adapter/node/config-files';
import { createLogger } from '../../src/adapter/node/logger';
import { type RunningGateway, type StartOptions, startGateway } from '../../src/adapter/node/start';
import { Redactor } from '../../src/observe/redact';

export interface FileGateway extends RunningGateway {
  readonly logs: string[];
  /** Replaces the configuration file's content. */
  write(yaml: string): void;
}

/** Starts a gateway from a YAML file (port 0, logs collected), reloading it as the CLI does. */
export async function startFileGateway(
  path: string,
  yaml: string,
  options: Omit<StartOptions, 'config'> = {},
): Promise<FileGateway> {
  writeFileSync(path, yaml);
  const env = { ...options.control?.env };
  const { config } = loadConfig(path, env);
  const logs: string[] = [];
  const redactor = options.redactor ?? new Redactor();
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'info', format: 'json', redactor, destination });
  const running = await startGateway({
    config,
    logger,
    redactor,
    port: 0,
    ...options,
    control: { source: fileSource(path, env), env, debounceMs: 20, ...options.control },
  });
  return { ...running, logs, write: (text) => writeFileSync(path, text) };
}
