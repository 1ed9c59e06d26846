import { GatewayError } from '../../../core/errors';

/** A write refused because the PostgreSQL store is unreachable (it reconnects in the background). */
export function storeUnavailable(reason: string | undefined): GatewayError {
  return new GatewayError('store_unavailable', {
    detail: `PostgreSQL unreachable: ${reason ?? 'not connected'}`,
  });
}
