import { parseArgs } from 'node:util';
import { isClustered } from '../adapter/node/cluster/count';
import { fileSource, loadConfig, quickModeSource, resolveConfigPath } from '../adapter/node/config-files';
import { startGateway } from '../adapter/node/start';
import { ConfigError } from '../config/errors';
import { describeStartup, warnAtStartup } from './banner';
import { loadEnvFile } from './env-file';
import { probeCommand } from './probe';

const HELP = `switchyard — an OpenAI-compatible LLM API gateway

Usage:
  switchyard [--config FILE]          start the gateway
  switchyard check [--config FILE]    validate the configuration and exit
  switchyard probe [--config FILE]    measure every upstream's latency and rank them (probe --help)

Options:
  -c, --config FILE   configuration file (default: $SWITCHYARD_CONFIG, then ./switchyard.yaml,
                      else quick mode from SWITCHYARD_UPSTREAM_URL / SWITCHYARD_KEYS)
  --env-file FILE     variables to read before the configuration (default: ./.env when present);
                      variables already set in the environment win
  -h, --help          show this help
`;

async function main(given: string[]): Promise<number> {
  const envFile = loadEnvFile(given, process.env, process.cwd());
  const argv = envFile.args;
  if (argv[0] === 'probe') {
    return probeCommand(argv.slice(1), {
      env: process.env,
      cwd: process.cwd(),
      write: (text) => process.stdout.write(text),
      error: (text) => process.stderr.write(text),
    });
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const command = positionals[0] ?? 'start';
  const path = resolveConfigPath(values.config, process.env, process.cwd());
  const { config } = loadConfig(path, process.env);
  if (command === 'check') {
    process.stdout.write(`configuration OK (${path ?? 'quick mode from the environment'})\n`);
    return 0;
  }
  if (command !== 'start') {
    process.stderr.write(`unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  const source = path ? fileSource(path, process.env) : quickModeSource(process.env);
  if (isClustered(config)) {
    const { startClustered } = await import('../adapter/node/cluster/run');
    await startClustered({
      config,
      source,
      configPath: path,
      env: process.env,
      announce: (logger, url, admin, workers) => {
        logger.info(
          { url, config: path ?? 'quick mode (environment)', workers, admin },
          `switchyard listening on ${url}`,
        );
        if (envFile.file)
          logger.info({ file: envFile.file, set: envFile.set }, 'read variables from the environment file');
      },
      firstWorkerStarted: warnAtStartup,
    });
    return -1;
  }
  const running = await startGateway({ config, control: { source, signals: true } });
  describeStartup(running, path);
  if (envFile.file)
    running.logger.info({ file: envFile.file, set: envFile.set }, 'read variables from the environment file');
  const stop = (signal: string) => {
    running.logger.info({ signal }, 'draining in-flight requests, then exiting');
    void running.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError) process.stderr.write(`switchyard: ${err.message}\n`);
    else process.stderr.write(`switchyard: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
