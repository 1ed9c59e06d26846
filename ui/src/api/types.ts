/** The admin API's answers, as far as the console reads them (docs/admin.md, /admin/openapi.json). */

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface Series {
  readonly name: string;
  readonly requests: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly latency_ms: Percentiles | null;
  readonly ttfb_ms: Percentiles | null;
  readonly tokens: { readonly input: number; readonly output: number; readonly total: number };
}

export interface StatsSnapshot {
  readonly total?: Series;
  readonly upstreams?: readonly Series[];
  readonly models?: readonly Series[];
}

export interface TimelineSlot extends StatsSnapshot {
  readonly start: string;
}

export interface Timeline {
  readonly resolution_seconds: number;
  readonly slots: readonly TimelineSlot[];
}

export interface UsageRow {
  readonly requests?: number;
  readonly cost?: number | null;
  readonly [field: string]: unknown;
}

export interface UpstreamHealth {
  readonly name: string;
  readonly state: string;
  readonly usable: boolean;
  readonly ejected_until: string | null;
  readonly ejections: number;
  readonly consecutive_faults: number;
  readonly reason: string;
  readonly requests: number;
  readonly faults: number;
  readonly keys: { readonly total: number; readonly usable: number };
}

export interface UpstreamView {
  readonly name: string;
  readonly source: 'api' | 'file';
  readonly url: string;
  readonly keys: { readonly total: number; readonly enabled: number };
  readonly priority?: number;
  readonly weight?: number;
  readonly models?: readonly string[];
  readonly shadows_api_object?: boolean;
}

export interface KeyView {
  readonly id: string;
  readonly key: string;
  readonly enabled: boolean;
  readonly source: 'api' | 'file';
  readonly added_at?: string;
}

export interface KeyPage {
  readonly source: 'api' | 'file';
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly keys: readonly KeyView[];
}

export interface KeyHealth {
  readonly id: string;
  readonly key: string;
  readonly upstream: string;
  readonly state: string;
  readonly until: string | null;
  readonly consecutive_failures: number;
  readonly last_verdict: string | null;
  readonly last_status: number | null;
  readonly last_error: string | null;
  readonly reason: string;
  readonly requests: number;
  readonly successes: number;
  readonly last_used_at: string | null;
}

export interface ImportResult {
  readonly added: number;
  readonly duplicates: number;
  readonly total: number;
}

export interface ValidationResult {
  readonly ok?: boolean;
  readonly verdict?: string;
  readonly status?: number;
  readonly [field: string]: unknown;
}

export interface RouteView {
  readonly name: string;
  readonly source: 'api' | 'file';
  readonly implicit?: boolean;
  readonly shadows_api_object?: boolean;
  readonly upstreams?: readonly string[];
  readonly strategy?: string;
  readonly match?: unknown;
  readonly split?: {
    readonly groups?: readonly { readonly weight?: number; readonly upstreams?: readonly string[] }[];
  };
  readonly [field: string]: unknown;
}

export interface Allowance {
  readonly limit: number;
  readonly used: number;
  readonly reserved: number;
  readonly period: string;
  readonly resets_at: string | null;
}

export interface ClientView {
  readonly name: string;
  readonly key: string;
  readonly source: 'api' | 'file';
  readonly active: boolean;
  readonly enabled: boolean;
  readonly models?: readonly string[];
  readonly routes?: readonly string[];
  readonly limits?: { readonly rpm?: number; readonly tpm?: number; readonly concurrency?: number };
  readonly usage: { readonly quota: Allowance | null; readonly budget: Allowance | null };
}

export interface Attempt {
  readonly upstream: string;
  readonly key_fp: string | null;
  readonly status: number;
  readonly verdict: string;
  readonly duration_ms: number;
  readonly ttfb_ms: number | null;
  readonly error: string | null;
}

export interface RequestRow {
  readonly request_id: string;
  readonly ts: number;
  readonly client: string | null;
  readonly route: string | null;
  readonly upstream: string | null;
  readonly key_fp: string | null;
  readonly method: string;
  readonly path: string;
  readonly model: string | null;
  readonly sent_model: string | null;
  readonly status: number;
  readonly verdict: string | null;
  readonly duration_ms: number;
  readonly ttfb_ms: number | null;
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly tokens_estimated: number;
  readonly cost: number | null;
  readonly stream: number;
  readonly error: string | null;
  readonly attempts: readonly Attempt[];
}

export interface RequestPage {
  readonly data: readonly RequestRow[];
  readonly next_cursor: string | null;
}

export interface SettingView {
  readonly name: string;
  readonly value: unknown;
  readonly source: 'file' | 'api' | 'default';
}

export interface PingResult {
  readonly at: string;
  readonly ok: boolean;
  readonly status: number;
  readonly ttfb_ms: number | null;
  readonly error: string | null;
}

export interface KeepaliveReport {
  readonly upstream: string;
  readonly next_at: string | null;
  readonly sent: number;
  readonly failed: number;
  readonly history: readonly PingResult[];
}

export interface HealthCheckReport {
  readonly upstream: string;
  readonly healthy: boolean;
  readonly checks: number;
  readonly failures: number;
  readonly next_at: string;
  readonly last: PingResult | null;
}
