import type { ClientSettings } from '../../config/schema/access';
import type { ClientIdentity } from '../../core/context';
import { compileGlobs } from '../glob';
import { IpAllowlist } from '../ip-allowlist';

/** Who presented a credential: a `server.auth_keys` key (no limits) or a client token. */
export type Principal = AuthKeyPrincipal | Client;

export interface AuthKeyPrincipal extends ClientIdentity {
  readonly kind: 'auth-key';
  /** The key, masked (`sk-...abcd`): how logs name such a caller. */
  readonly name: string;
}

/** A client token's owner as the data plane sees it: settings compiled once. */
export interface Client extends ClientIdentity {
  readonly kind: 'client';
  readonly name: string;
  /** `file`: from the configuration (read-only in the API); `api`: made with the admin API. */
  readonly source: 'file' | 'api';
  readonly maskedKey: string;
  readonly settings: ClientSettings;
  readonly models: RegExp | null;
  readonly routes: ReadonlySet<string> | null;
  readonly ipAllowlist: IpAllowlist | null;
  readonly createdAt: number | null;
  readonly updatedAt: number | null;
}

export interface ClientOrigin {
  readonly source: 'file' | 'api';
  readonly maskedKey: string;
  readonly createdAt?: number;
  readonly updatedAt?: number;
}

export function buildClient(name: string, settings: ClientSettings, origin: ClientOrigin): Client {
  return {
    kind: 'client',
    name,
    source: origin.source,
    maskedKey: origin.maskedKey,
    settings,
    models: settings.models ? compileGlobs(settings.models) : null,
    routes: settings.routes ? new Set(settings.routes) : null,
    ipAllowlist: settings.ip_allowlist ? new IpAllowlist(settings.ip_allowlist) : null,
    createdAt: origin.createdAt ?? null,
    updatedAt: origin.updatedAt ?? null,
  };
}

/** Unknown, disabled and expired tokens are refused alike (401), so none can be told apart. */
export function isActive(client: Client, now: number): boolean {
  if (!client.settings.enabled) return false;
  return client.settings.expires_at === undefined || now < client.settings.expires_at;
}

/** The client as the admin API shows it: settings, masked key, never the token. */
export function describeClient(client: Client, now: number) {
  return {
    name: client.name,
    key: client.maskedKey,
    source: client.source,
    active: isActive(client, now),
    ...client.settings,
    expires_at:
      client.settings.expires_at === undefined
        ? undefined
        : new Date(client.settings.expires_at).toISOString(),
    created_at: client.createdAt === null ? undefined : new Date(client.createdAt).toISOString(),
    updated_at: client.updatedAt === null ? undefined : new Date(client.updatedAt).toISOString(),
  };
}
