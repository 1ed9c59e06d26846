import type { Logger } from '../observe/logger';
import { ConfigError } from './errors';
import { type ApiObjects, annotateProblems, type MergedInput, mergeInputs } from './merge';
import { validateConfigInput } from './parse';
import type { Config } from './schema/index';
import type { ConfigSource } from './source';

export interface ConfigTarget {
  /** Swaps the running configuration (Gateway.applyConfig plus the admin plane's own updates). */
  apply(config: Config, previous: Config): void;
}

export interface ReloadResult {
  readonly applied: boolean;
  /** Each problem names the field and the reason (empty when applied). */
  readonly problems: readonly string[];
}

export interface BuiltConfig {
  readonly config: Config;
  readonly merged: MergedInput;
}

/** Fields read once at start: a reload that changes them is logged as needing a restart. */
const RESTART_FIELDS: readonly [string, (c: Config) => unknown][] = [
  ['server.host', (c) => c.server.host],
  ['server.port', (c) => c.server.port],
  ['server.log_format', (c) => c.server.log_format],
  ['server.transport', (c) => c.server.transport],
  ['admin.host', (c) => c.admin.host],
  ['admin.port', (c) => c.admin.port],
  ['admin.watch', (c) => c.admin.watch],
  ['store.path', (c) => c.store.path],
  ['state.url', (c) => c.state.url],
  ['state.prefix', (c) => c.state.prefix],
  ['state.timeout', (c) => c.state.timeout],
];

/**
 * Holds the one running configuration built from two sources (the base input and the admin
 * API's objects), validates every candidate with the config schema before it is applied, and
 * swaps it whole. Tells `onApplied` and `onRejected` listeners.
 */
export class ConfigManager {
  /** Called after a configuration was applied, and after a candidate was refused. */
  readonly onApplied: ((config: Config, reason: string) => void)[] = [];
  readonly onRejected: ((error: ConfigError, reason: string) => void)[] = [];
  private base: Record<string, unknown>;
  private current: BuiltConfig;

  constructor(
    private readonly source: ConfigSource,
    private readonly apiObjects: () => ApiObjects,
    private readonly logger: Logger,
    initial: { base: Record<string, unknown>; built: BuiltConfig },
  ) {
    this.base = initial.base;
    this.current = initial.built;
  }

  /**
   * The configuration to start with. When the API objects do not fit the file (a route naming an
   * upstream the file no longer has), the file alone is used and the problem is logged.
   */
  static open(source: ConfigSource, apiObjects: () => ApiObjects, logger: Logger): ConfigManager {
    const base = source.read();
    let built: BuiltConfig;
    try {
      built = build(source, base, apiObjects());
    } catch (err) {
      if (!(err instanceof ConfigError) || !fileAloneValid(source, base)) throw err;
      logger.error(
        { problems: err.problems },
        'the admin API configuration does not fit the configuration file; starting with the file alone',
      );
      built = build(source, base, { upstreams: [], routes: [], settings: new Map() });
    }
    return new ConfigManager(source, apiObjects, logger, { base, built });
  }

  get config(): Config {
    return this.current.config;
  }

  get merged(): MergedInput {
    return this.current.merged;
  }

  get baseInput(): Readonly<Record<string, unknown>> {
    return this.base;
  }

  get configSource(): ConfigSource {
    return this.source;
  }

  /** Validates the configuration the API objects would give, without applying it. */
  preview(api: ApiObjects): BuiltConfig {
    return build(this.source, this.base, api);
  }

  /** Applies an already validated candidate (after the store was written). */
  commit(candidate: BuiltConfig, reason: string, target: ConfigTarget): void {
    const previous = this.current.config;
    this.current = candidate;
    target.apply(candidate.config, previous);
    this.reportShadowed(candidate.merged);
    for (const listener of this.onApplied) listener(candidate.config, reason);
  }

  /**
   * Reads the source again and applies it. A bad file is refused with one log line naming each
   * field and reason; the running configuration stays.
   */
  reload(reason: string, target: ConfigTarget): ReloadResult {
    let base: Record<string, unknown>;
    let candidate: BuiltConfig;
    try {
      base = this.source.read();
      candidate = build(this.source, base, this.apiObjects());
    } catch (err) {
      const error = err instanceof ConfigError ? err : new ConfigError(this.source.name, [String(err)]);
      this.logger.error(
        { source: this.source.name, reason, problems: error.problems },
        'configuration reload refused; the running configuration stays',
      );
      for (const listener of this.onRejected) listener(error, reason);
      return { applied: false, problems: error.problems };
    }
    this.base = base;
    this.warnRestartFields(this.current.config, candidate.config);
    this.commit(candidate, reason, target);
    this.logger.info(
      {
        source: this.source.name,
        reason,
        upstreams: candidate.config.upstreams.length,
        routes: candidate.config.routes?.map((route) => route.name) ?? 'implicit default',
      },
      'configuration reloaded',
    );
    return { applied: true, problems: [] };
  }

  private warnRestartFields(previous: Config, next: Config): void {
    for (const [field, read] of RESTART_FIELDS) {
      if (read(previous) !== read(next)) {
        this.logger.warn({ field }, `${field} changed: it takes effect after a restart`);
      }
    }
  }

  private reportShadowed(merged: MergedInput): void {
    const { upstreams, routes, settings } = merged.shadowed;
    if (upstreams.length + routes.length + settings.length === 0) return;
    this.logger.warn(
      { upstreams, routes, settings },
      'admin API objects shadowed by the configuration file (the file wins on a name clash)',
    );
  }
}

function build(source: ConfigSource, base: Record<string, unknown>, api: ApiObjects): BuiltConfig {
  const merged = mergeInputs(base, api);
  try {
    return {
      config: validateConfigInput(merged.input, source.name, source.env, source.readKeysFile),
      merged,
    };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    if (!fileAloneValid(source, base)) {
      validateConfigInput(base, source.name, source.env, source.readKeysFile);
    }
    throw new ConfigError(source.name, annotateProblems(err.problems, merged));
  }
}

function fileAloneValid(source: ConfigSource, base: Record<string, unknown>): boolean {
  try {
    validateConfigInput(base, source.name, source.env, source.readKeysFile);
    return true;
  } catch {
    return false;
  }
}
