import type { ProbeRequestConfig } from '../config/schema/index';
import type { UpstreamKey } from '../routing/key-pool';
import type { Upstream } from '../routing/upstream';
import type { Clock } from './clock';
import type { HealthTracker } from './tracker';

/** One request a probe sends: the full path (upstream prefix included) and every header. */
export interface ProbeRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

export interface ProbeResponse {
  readonly status: number;
  /** Milliseconds from sending to the response head. */
  readonly ttfbMs: number;
  /** The first bytes of the body, for the operator's view of a failure. */
  readonly snippet: string;
}

/** Sends one probe; rejects on a transport failure or when `signal` aborts. Node: undici. */
export type ProbeSender = (
  upstream: Upstream,
  request: ProbeRequest,
  signal: AbortSignal,
) => Promise<ProbeResponse>;

/** What one probe found. `ok` is decided by the caller's rule (expected status, or any answer). */
export interface ProbeOutcome {
  /** Wall-clock milliseconds when it was sent. */
  readonly at: number;
  readonly status: number;
  readonly ttfbMs: number | undefined;
  readonly error: string | undefined;
  readonly snippet: string;
}

/** The probe's request: the upstream's own headers, the probe's, and a key when asked for. */
export function buildProbeRequest(
  upstream: Upstream,
  config: ProbeRequestConfig,
  key: UpstreamKey | undefined,
): ProbeRequest {
  const headers: Record<string, string> = {
    'user-agent': 'switchyard-probe',
    ...upstream.provider.defaultHeaders,
    ...upstream.config.headers,
    ...lowerCaseKeys(config.headers),
  };
  let body: string | undefined;
  if (typeof config.body === 'string') body = config.body;
  else if (config.body !== undefined) {
    body = JSON.stringify(config.body);
    headers['content-type'] ??= 'application/json';
  }
  if (key && upstream.provider.authHeader)
    headers[upstream.provider.authHeader] = upstream.provider.authValue(key.secret);
  return { method: config.method, path: upstream.basePath + config.path, headers, body };
}

/** The key a probe uses: the first one health lets through, else the first one. */
export function probeKey(upstream: Upstream, health: HealthTracker, now: number): UpstreamKey | undefined {
  const { keys } = upstream.keys;
  return keys.find((key) => health.keyUsable(upstream, key, now)) ?? keys[0];
}

/** Sends a probe with a timeout kept by `clock`; a failure becomes an outcome, never a throw. */
export async function runProbe(
  send: ProbeSender,
  clock: Clock,
  upstream: Upstream,
  request: ProbeRequest,
  timeoutMs: number,
): Promise<ProbeOutcome> {
  const at = clock.now();
  const controller = new AbortController();
  const timer = clock.setTimeout(
    () => controller.abort(new Error(`no answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    const response = await send(upstream, request, controller.signal);
    return {
      at,
      status: response.status,
      ttfbMs: response.ttfbMs,
      error: undefined,
      snippet: response.snippet,
    };
  } catch (err) {
    const reason = controller.signal.aborted ? (controller.signal.reason as Error) : (err as Error);
    return { at, status: 0, ttfbMs: undefined, error: describe(reason), snippet: '' };
  } finally {
    clock.clearTimeout(timer);
  }
}

/** True when a status is in the list (`200`, or a class such as `"2xx"`). */
export function statusExpected(status: number, expected: readonly (number | string)[]): boolean {
  for (const entry of expected) {
    if (typeof entry === 'number' ? status === entry : Math.floor(status / 100) === Number(entry[0]))
      return true;
  }
  return false;
}

function describe(err: Error & { code?: string }): string {
  return err.code ? `${err.code}: ${err.message}` : err.message;
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) out[name.toLowerCase()] = headers[name]!;
  return out;
}

/** Sends a configured probe (health check, keep-alive ping), with a key from the pool if it asks for one. */
export function probeWith(
  deps: { readonly send: ProbeSender; readonly clock: Clock; readonly health: HealthTracker },
  upstream: Upstream,
  config: ProbeRequestConfig,
): Promise<ProbeOutcome> {
  const key = config.use_key ? probeKey(upstream, deps.health, deps.clock.now()) : undefined;
  return runProbe(deps.send, deps.clock, upstream, buildProbeRequest(upstream, config, key), config.timeout);
}
