import type { Verdict } from '../health/verdict';
import type { UpstreamRequest } from '../proxy/transport';
import type { AttemptInput } from './attempt';
import type { ResponseTranslator } from './translate/translator';

/** A field of the parsed error object a marker reads (see `src/health/error-fields.ts`). */
export type ErrorField = 'code' | 'type' | 'status' | 'reason' | 'message';

/**
 * A provider error code that decides the verdict. It is read from the parsed error object, never
 * from the raw text (which may echo the request), and only counts for the statuses listed.
 * `value` must equal the field, or, with `prefix`, begin it (only for `message`, whose start the
 * provider writes itself).
 */
export interface ErrorMarker {
  readonly field: ErrorField;
  readonly value: string;
  readonly statuses: readonly number[];
  readonly verdict: Verdict;
  readonly prefix?: boolean;
}

/**
 * What differs between providers: how the credential is sent and which error markers mean
 * what. Everything else (paths, bodies) is passed through untouched.
 */
export interface Provider {
  readonly name: string;
  /** The header that carries the upstream key; null for upstreams that take no key. */
  readonly authHeader: string | null;
  authValue(key: string): string;
  /** Markers checked in order, before the status-based rules. */
  readonly errorMarkers: readonly ErrorMarker[];
  /** Headers sent when the client did not send them (e.g. `anthropic-version`). */
  readonly defaultHeaders: Readonly<Record<string, string>>;
  /**
   * Shapes one attempt's upstream request (path, headers with the key, body). Called per attempt,
   * so a failover to another upstream gets that upstream's provider's shape.
   */
  prepare(input: AttemptInput): PreparedAttempt;
}

/** One attempt's request as the provider shaped it. */
export interface PreparedAttempt {
  readonly request: UpstreamRequest;
  /** The gateway asked the upstream for stream usage the client did not ask for (strip it). */
  readonly addedStreamUsage: boolean;
  /**
   * The upstream speaks another API than the client: its answer (stream, held JSON or error
   * body) is translated to the client's format on its way. Absent: passed through untouched.
   */
  readonly translator?: ResponseTranslator;
}

export interface ProviderOptions {
  readonly name: string;
  readonly authHeader?: string | null;
  readonly authValue?: (key: string) => string;
  readonly errorMarkers?: readonly ErrorMarker[];
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  readonly prepare?: (input: AttemptInput) => PreparedAttempt;
}
