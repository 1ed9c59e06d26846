import type { z } from 'zod';
import { describeIssues } from '../../config/errors';
import { clientKeyField, clientSettingsSchema } from '../../config/schema/access';
import { nameField } from '../../config/schema/upstream';
import { randomBytes } from '../../core/crypto';
import { GatewayError } from '../../core/errors';
import { base64url } from '../../http/bytes';
import { maskSecret } from '../../observe/mask';
import type { GatewayAccess } from '../access';
import { type Client, describeClient } from './client';

const createSchema = clientSettingsSchema
  .extend({ name: nameField, key: clientKeyField.optional() })
  .strict();

/** A new client token: `sk-sy-` and 32 characters of base64url (192 random bits). */
export function generateToken(): string {
  return `sk-sy-${base64url(randomBytes(24))}`;
}

/**
 * Client tokens through the admin API. Tokens are stored as keyed digests only, so the full
 * token is in the answer to `create` and `rotate` and nowhere else, ever. Clients from the
 * configuration file are listed but read-only.
 */
export class ClientAdmin {
  constructor(private readonly access: GatewayAccess) {}

  list() {
    return Promise.all(this.access.directory.list().map((client) => this.describe(client)));
  }

  get(name: string) {
    return this.describe(this.find(name));
  }

  async create(body: unknown) {
    const input = parse(createSchema, body);
    const { name, key, ...settings } = input;
    if (this.access.directory.get(name)) throw conflict(`a client named "${name}" exists`);
    const token = key ?? generateToken();
    if (this.access.directory.find(token)) throw conflict('that key is already in use');
    const now = this.access.now();
    const inserted = await this.access.clientStore.insert({
      name,
      digest: this.access.directory.digest(token),
      maskedKey: maskSecret(token),
      settings,
      createdAt: now,
      updatedAt: now,
    });
    if (!inserted) throw conflict(`a client named "${name}" exists`);
    await this.access.reloadClients();
    return { ...(await this.get(name)), key: token };
  }

  async update(name: string, body: unknown) {
    const client = this.editable(name);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new GatewayError('validation_failed', {
        message: 'The body must be a JSON object of fields to change.',
      });
    }
    const changes = { ...(body as Record<string, unknown>) };
    if ('name' in changes || 'key' in changes) {
      throw new GatewayError('validation_failed', {
        message: 'name and key cannot be changed here; rotate the key with POST /admin/clients/{name}/rotate',
      });
    }
    const merged: Record<string, unknown> = { ...client.settings, ...changes };
    for (const field of Object.keys(changes)) if (changes[field] === null) delete merged[field];
    const settings = parse(clientSettingsSchema, merged);
    await this.access.clientStore.update(name, settings, this.access.now());
    await this.access.reloadClients();
    return this.get(name);
  }

  async rotate(name: string) {
    this.editable(name);
    const token = generateToken();
    await this.access.clientStore.replaceKey(
      name,
      this.access.directory.digest(token),
      maskSecret(token),
      this.access.now(),
    );
    await this.access.reloadClients();
    return { ...(await this.get(name)), key: token };
  }

  async delete(name: string): Promise<void> {
    this.editable(name);
    if (this.access.directory.size === 1 && this.access.directory.authKeys === 0) {
      throw conflict(
        'deleting the last client would leave the gateway open to anyone; disable it instead, or configure server.auth_keys',
      );
    }
    await this.access.clientStore.delete(name);
    await this.access.reloadClients();
  }

  private async describe(client: Client) {
    const now = this.access.now();
    return {
      ...describeClient(client, now),
      in_flight: await this.access.limiter.inFlight(client.name),
      usage: await this.access.ledger.status(client, now),
    };
  }

  private find(name: string): Client {
    const client = this.access.directory.get(name);
    if (!client) throw new GatewayError('resource_not_found', { message: `No client named "${name}".` });
    return client;
  }

  private editable(name: string): Client {
    const client = this.find(name);
    if (client.source === 'file') throw new GatewayError('read_only');
    return client;
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new GatewayError('validation_failed', { message: describeIssues(result.error).join('; ') });
  }
  return result.data;
}

function conflict(message: string): GatewayError {
  return new GatewayError('conflict', { message: `Conflict: ${message}.` });
}
