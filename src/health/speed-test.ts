import type { ProbeRequestConfig } from '../config/schema/index';
import { healthCheckSchema } from '../config/schema/upstream-probes';
import { type LatencySummary, summarizeLatency } from '../routing/latency-summary';
import type { Upstream } from '../routing/upstream';
import { penalisedCost } from '../routing/upstream-stats';
import type { Clock } from './clock';
import { buildProbeRequest, type ProbeSender, runProbe, statusExpected } from './probe';

export interface SpeedTestOptions {
  /** Requests per upstream. */
  readonly count: number;
  /** Overrides the request of every upstream (else its health_check's, else GET /v1/models with a key). */
  readonly method?: string;
  readonly path?: string;
  readonly timeoutMs?: number;
}

export interface SpeedTestRow {
  readonly upstream: string;
  readonly sent: number;
  readonly ok: number;
  readonly errors: number;
  /** Time to first byte of the successful requests. */
  readonly latency: LatencySummary | undefined;
  readonly lastError: string | undefined;
  /** p50 made worse by the error rate, as lowest-latency weighs them; undefined when nothing answered. */
  readonly score: number | undefined;
}

const DEFAULT_REQUEST = healthCheckSchema.parse({});

/**
 * Measures each upstream `count` times (one request after another per upstream, upstreams side
 * by side) and ranks them: best score first, upstreams that never answered last.
 */
export async function speedTest(
  upstreams: readonly Upstream[],
  send: ProbeSender,
  clock: Clock,
  options: SpeedTestOptions,
): Promise<SpeedTestRow[]> {
  const rows = await Promise.all(upstreams.map((upstream) => measure(upstream, send, clock, options)));
  return rows.sort(
    (a, b) =>
      (a.score ?? Number.POSITIVE_INFINITY) - (b.score ?? Number.POSITIVE_INFINITY) ||
      a.upstream.localeCompare(b.upstream),
  );
}

async function measure(
  upstream: Upstream,
  send: ProbeSender,
  clock: Clock,
  options: SpeedTestOptions,
): Promise<SpeedTestRow> {
  const check = upstream.config.health_check ?? DEFAULT_REQUEST;
  const config: ProbeRequestConfig = {
    ...check,
    method: options.method?.toUpperCase() ?? check.method,
    path: options.path ?? check.path,
    timeout: options.timeoutMs ?? check.timeout,
  };
  const request = buildProbeRequest(upstream, config, config.use_key ? upstream.keys.keys[0] : undefined);
  const samples: number[] = [];
  let lastError: string | undefined;
  for (let i = 0; i < options.count; i++) {
    const outcome = await runProbe(send, clock, upstream, request, config.timeout);
    if (outcome.error === undefined && statusExpected(outcome.status, check.expected_status)) {
      samples.push(outcome.ttfbMs!);
    } else {
      lastError = outcome.error ?? `status ${outcome.status}`;
    }
  }
  const latency = summarizeLatency(samples);
  const errors = options.count - samples.length;
  return {
    upstream: upstream.name,
    sent: options.count,
    ok: samples.length,
    errors,
    latency,
    lastError,
    score: latency ? penalisedCost(latency.p50, errors / options.count) : undefined,
  };
}
