import { VERDICTS } from '../../health/verdict';
import { LatencyDigest } from './digest';

/** Outcomes counted: every verdict, and `rejected` for requests the gateway answered itself. */
export const OUTCOMES: readonly string[] = [...VERDICTS, 'rejected'];
export const REJECTED = OUTCOMES.length - 1;

export function outcomeIndex(verdict: string | undefined): number {
  if (verdict === undefined) return REJECTED;
  const index = OUTCOMES.indexOf(verdict);
  return index === -1 ? REJECTED : index;
}

/** What one series names besides its key (a key's upstream and masked form). */
export type SeriesLabel = Readonly<Record<string, string>>;

/** One series' figures in one time slot. */
export class Cell {
  requests = 0;
  readonly outcomes = new Uint32Array(OUTCOMES.length);
  inputTokens = 0;
  outputTokens = 0;
  /** Requests answered from the response cache. */
  cacheHits = 0;
  readonly latency = new LatencyDigest();
  readonly ttfb = new LatencyDigest();

  constructor(readonly label: SeriesLabel | undefined) {}
}

export interface Sample {
  readonly outcome: number;
  readonly latencyMs: number;
  readonly ttfbMs: number | undefined;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheHit?: boolean;
}

export function addSample(cell: Cell, sample: Sample): void {
  cell.requests++;
  cell.outcomes[sample.outcome]!++;
  cell.latency.add(sample.latencyMs);
  if (sample.ttfbMs !== undefined) cell.ttfb.add(sample.ttfbMs);
  cell.inputTokens += sample.inputTokens;
  cell.outputTokens += sample.outputTokens;
  if (sample.cacheHit) cell.cacheHits++;
}
