import type { RequestContext } from '../core/context';
import { GatewayError } from '../core/errors';

const DNS_PARAM = /[?&]dns=[^&]/;
const DNS_MESSAGE = 'application/dns-message';

/**
 * A DNS-over-HTTPS request (RFC 8484) as a `protocol: doh` route accepts it: GET with a `dns`
 * query parameter, or POST with a `application/dns-message` body. The body is never parsed.
 */
export function checkDohRequest(ctx: RequestContext, contentType: string | undefined): void {
  if (ctx.method === 'GET') {
    if (!DNS_PARAM.test(ctx.url))
      throw dohError('A DNS-over-HTTPS GET needs the query in the "dns" parameter.', 'dns');
    return;
  }
  if (ctx.method === 'POST') {
    const type = contentType?.split(';')[0]?.trim().toLowerCase();
    if (type !== DNS_MESSAGE)
      throw dohError(`A DNS-over-HTTPS POST needs Content-Type: ${DNS_MESSAGE}.`, null);
    if (!ctx.body || ctx.body.length === 0)
      throw dohError('A DNS-over-HTTPS POST needs a DNS message body.', null);
    return;
  }
  throw dohError('DNS-over-HTTPS accepts GET (?dns=) and POST (application/dns-message) only.', null);
}

function dohError(message: string, param: string | null): GatewayError {
  return new GatewayError('invalid_request', { message, param });
}
