import type { z } from 'zod';
import { serverSchema } from './schema/server';

/**
 * Settings: the `server` fields that may change while running, editable through the admin API.
 * Listening address and worker processes, client keys (secrets, managed elsewhere), the log format
 * and the upstream transport need a restart or their own endpoints, so they are not settings.
 */
const NOT_SETTINGS = new Set(['host', 'port', 'workers', 'auth_keys', 'log_format', 'transport']);

export const SETTING_NAMES: readonly string[] = Object.keys(serverSchema.shape)
  .filter((field) => !NOT_SETTINGS.has(field))
  .map((field) => `server.${field}`);

export function isSetting(name: string): boolean {
  return SETTING_NAMES.includes(name);
}

/** The schema of one setting's value (input side), for validation and the OpenAPI document. */
export function settingSchema(name: string): z.ZodType {
  const field = name.slice('server.'.length) as keyof typeof serverSchema.shape;
  return serverSchema.shape[field];
}

/** The value a raw config input gives the setting, or undefined when it does not set it. */
export function inputValue(input: Record<string, unknown>, name: string): unknown {
  const [section, field] = name.split('.') as [string, string];
  const group = input[section];
  if (group === null || typeof group !== 'object') return undefined;
  return (group as Record<string, unknown>)[field];
}

export function setInputValue(input: Record<string, unknown>, name: string, value: unknown): void {
  const [section, field] = name.split('.') as [string, string];
  const group = input[section];
  const target = group !== null && typeof group === 'object' ? { ...(group as object) } : {};
  (target as Record<string, unknown>)[field] = value;
  input[section] = target;
}

/** The running value of a setting in a validated config. */
export function configValue(config: { server: object }, name: string): unknown {
  return (config.server as Record<string, unknown>)[name.slice('server.'.length)];
}
