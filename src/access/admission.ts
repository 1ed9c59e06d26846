import type { UpstreamKey } from '../routing/key-pool';
import type { Upstream } from '../routing/upstream';
import type { Client } from './clients/client';
import type { LimitHold } from './limits/client-limits';
import type { QuotaHold } from './limits/quota';
import type { Estimate } from './usage/estimate';
import type { UsageMeter } from './usage/meter';
import { NO_USAGE, type Usage } from './usage/usage';

/** A per-key limit taken when selection chose an upstream key (for TPM reconcile). */
export interface KeyClaim {
  readonly upstream: Upstream;
  readonly key: UpstreamKey;
  readonly tpmTicket: number;
  readonly tpmTaken: number;
}

const NO_ESTIMATE: Estimate = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

/**
 * What access control admitted one request with (RequestContext.admission): the limits and
 * quota it holds, the upstream keys it claimed, its usage meter, and, once it is over, its usage
 * and cost (read by the request log and metrics).
 */
export class Admission {
  client: Client | undefined = undefined;
  private estimated: Estimate | undefined = undefined;
  /** Counts the request's tokens (a tokenizer pass) only when a limit or quota asks for them. */
  estimator: () => Estimate = () => NO_ESTIMATE;

  get estimate(): Estimate {
    this.estimated ??= this.estimator();
    return this.estimated;
  }
  estimatedCost = 0;
  limits: LimitHold | undefined = undefined;
  quota: QuotaHold | undefined = undefined;
  keyClaims: KeyClaim[] | undefined = undefined;
  /** The shortest wait among keys skipped for their own limits, if any were. */
  keyWaitMs: number | undefined = undefined;
  meter: UsageMeter | undefined = undefined;
  /** The final figures, set when the request is released. */
  usage: Usage = NO_USAGE;
  cost: number | null = null;
  /** The model sent upstream (after any rewrite), for pricing and the request log. */
  sentModel: string | undefined = undefined;
  settled = false;
}
