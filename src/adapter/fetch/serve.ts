import type { Gateway } from '../../gateway/gateway';
import { FetchExchange } from './exchange';

/**
 * The gateway as a fetch handler: a `Request` in, its `Response` out, with the same lifecycle
 * as over a socket (streams arrive chunk by chunk). The Worker serves with it; on Node it is the
 * in-process entry tests use to run the same cases without a listener.
 */
export function serveFetch(gateway: Gateway, request: Request, remoteAddress = ''): Promise<Response> {
  const exchange = new FetchExchange(request, remoteAddress);
  gateway.handle(exchange, exchange);
  return exchange.response;
}
