import type { RequestRecord } from '../../observe/request-record';

const HOUR = 3_600_000;

export interface Rollup {
  hour: number;
  client: string;
  upstream: string;
  key_fp: string;
  model: string;
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  total_tokens: number;
  estimated_requests: number;
  cost: number;
  duration_ms: number;
}

/** Sums a batch of records per hour, client, upstream, key and model (one upsert per group). */
export function rollUp(records: readonly RequestRecord[]): Rollup[] {
  const groups = new Map<string, Rollup>();
  for (const r of records) {
    const hour = Math.floor(r.ts / HOUR) * HOUR;
    const model = r.sent_model ?? r.model ?? '';
    const id = `${hour}\u0000${r.client ?? ''}\u0000${r.upstream ?? ''}\u0000${r.key_fp ?? ''}\u0000${model}`;
    let group = groups.get(id);
    if (!group) {
      group = {
        hour,
        client: r.client ?? '',
        upstream: r.upstream ?? '',
        key_fp: r.key_fp ?? '',
        model,
        requests: 0,
        errors: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        cached_tokens: 0,
        total_tokens: 0,
        estimated_requests: 0,
        cost: 0,
        duration_ms: 0,
      };
      groups.set(id, group);
    }
    group.requests++;
    if (r.status >= 400 || r.status === 0) group.errors++;
    group.prompt_tokens += r.prompt_tokens;
    group.completion_tokens += r.completion_tokens;
    group.cached_tokens += r.cached_tokens;
    group.total_tokens += r.total_tokens;
    group.estimated_requests += r.tokens_estimated;
    group.cost += r.cost ?? 0;
    group.duration_ms += r.duration_ms;
  }
  return [...groups.values()];
}

export const USAGE_GROUPS = ['client', 'upstream', 'key', 'model', 'hour', 'day'] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

export interface UsageQuery {
  readonly from?: number;
  readonly to?: number;
  readonly client?: string;
  readonly upstream?: string;
  readonly key?: string;
  readonly model?: string;
  readonly groupBy: readonly UsageGroup[];
}
