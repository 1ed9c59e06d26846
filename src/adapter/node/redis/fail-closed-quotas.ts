import { retryAfterHeaders } from '../../../access/limits/rate-headers';
import { GatewayError } from '../../../core/errors';
import type { QuotaCounter, QuotaCounterStore, Reservation } from '../../../state/quota-counter-store';
import type { FaultPolicy } from './fallback';

/** Milliseconds a client is told to wait while the shared state is unreachable. */
const RETRY_AFTER_MS = 5_000;

/**
 * Quota and budget counters on the shared store, failing closed: while it is unreachable a client
 * with a quota or budget is refused (429 `quota_unavailable`), since no instance can know what
 * the fleet spent. Clients without one never reach these counters. A settlement that cannot be
 * written is dropped and logged (the hold it gives back is lost with the outage).
 */
export class FailClosedQuotaCounters implements QuotaCounterStore {
  constructor(
    private readonly shared: QuotaCounterStore,
    private readonly policy: FaultPolicy,
  ) {}

  read(name: string, start: number): Promise<QuotaCounter | undefined> {
    return this.guard(() => this.shared.read(name, start));
  }

  seed(name: string, start: number, used: number): Promise<void> {
    return this.guard(() => this.shared.seed(name, start, used));
  }

  reserve(name: string, start: number, limit: number, amount: number): Promise<Reservation> {
    return this.guard(() => this.shared.reserve(name, start, limit, amount));
  }

  async settle(name: string, start: number, release: number | undefined, charge: number): Promise<void> {
    if (!this.policy.up) return;
    try {
      await this.shared.settle(name, start, release, charge);
    } catch (err) {
      this.policy.fault(err);
    }
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.policy.up) {
      try {
        return await call();
      } catch (err) {
        this.policy.fault(err);
      }
    }
    throw new GatewayError('quota_unavailable', {
      headers: retryAfterHeaders(RETRY_AFTER_MS),
    });
  }
}
