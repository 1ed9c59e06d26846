import type { IncomingHttpHeaders } from 'node:http';
import type { RequestContext } from '../core/context';
import { GatewayError } from '../core/errors';
import { maskSecret } from '../observe/mask';
import { KeyIndex, presentedCredential } from './key-index';

/**
 * The access steps of the lifecycle. `identify` runs before the body is read; `admit` once the
 * route and model are known; `release` after the response, whatever happened.
 * Each throws a GatewayError to refuse (401, 403, 429).
 */
export interface AccessControl {
  identify(ctx: RequestContext, headers: IncomingHttpHeaders): void;
  admit(ctx: RequestContext): void | Promise<void>;
  release(ctx: RequestContext): void;
}

/** `server.auth_keys`: any one of these keys lets a client in; no limits. */
export class AuthKeysAccess implements AccessControl {
  private readonly index = new KeyIndex<string>();

  constructor(keys: readonly string[]) {
    for (const key of keys) this.index.set(key, maskSecret(key));
  }

  get open(): boolean {
    return this.index.size === 0;
  }

  identify(ctx: RequestContext, headers: IncomingHttpHeaders): void {
    if (this.index.size === 0) return;
    const credential = credentialOf(headers);
    const name = credential === undefined ? undefined : this.index.get(credential);
    if (name === undefined) throw new GatewayError('invalid_api_key');
    ctx.client = { name };
  }

  admit(): void {}

  release(): void {}
}

export function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  return presentedCredential(
    headers.authorization,
    headers['x-api-key'] as string | undefined,
    headers['api-key'] as string | undefined,
  );
}
