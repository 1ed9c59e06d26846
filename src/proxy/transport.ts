import type { Dispatcher } from 'undici';
import type { Upstream } from '../routing/upstream';

/** Sends one attempt to an upstream; the handler receives the response as it arrives. */
export interface Transport {
  dispatch(
    upstream: Upstream,
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): void;
  close(): Promise<void>;
}
