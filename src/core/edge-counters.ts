/**
 * Why the gateway cut a client off or refused it before a request was handled: slow clients,
 * connection caps, requests Node's parser refused, admin key guessing. Read by `/metrics`
 * (`switchyard_client_errors_total`) at scrape time.
 */
export type EdgeEvent =
  | 'headers_timeout'
  | 'body_idle_timeout'
  | 'body_timeout'
  | 'max_connections'
  | 'max_connections_per_ip'
  | 'bad_request'
  | 'headers_too_large'
  | 'admin_auth_limited';

export class EdgeCounters {
  private readonly counts = new Map<EdgeEvent, number>();

  count(event: EdgeEvent): void {
    this.counts.set(event, (this.counts.get(event) ?? 0) + 1);
  }

  get(event: EdgeEvent): number {
    return this.counts.get(event) ?? 0;
  }

  entries(): Iterable<[EdgeEvent, number]> {
    return this.counts.entries();
  }
}
