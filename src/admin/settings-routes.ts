import { z } from 'zod';
import { configValue, inputValue, isSetting, SETTING_NAMES, settingSchema } from '../config/settings';
import { GatewayError } from '../core/errors';
import { type ConfigService, withSetting } from './config-service';
import type { AdminRequest, AdminRouter } from './router';
import { iso, notFound } from './upstream-routes';
import { invalid, parseInput } from './validate';

const TAG = 'Settings';

export function registerSettingsRoutes(router: AdminRouter, service: ConfigService): void {
  router.add(
    'GET',
    '/admin/settings',
    () => ({ body: { settings: SETTING_NAMES.map((n) => view(service, n)) } }),
    {
      summary: 'List the settings that can change while running, with their value and source',
      tag: TAG,
    },
  );
  router.add('GET', '/admin/settings/:name', (req) => ({ body: view(service, settingName(req)) }), {
    summary: 'Read one setting',
    tag: TAG,
  });
  router.add('PUT', '/admin/settings/:name', (req) => putSetting(service, req), {
    summary: 'Set a setting the configuration file leaves unset',
    tag: TAG,
    requestBody: {
      required: true,
      content: { 'application/json': { schema: z.toJSONSchema(z.object({ value: z.unknown() })) } },
    },
  });
  router.add('DELETE', '/admin/settings/:name', (req) => deleteSetting(service, req), {
    summary: 'Remove the API value of a setting (back to the default)',
    tag: TAG,
  });
}

function view(service: ConfigService, name: string): Record<string, unknown> {
  const stored = service.store.setting(name);
  const inFile = inputValue(service.manager.baseInput, name) !== undefined;
  const source = inFile ? 'file' : stored ? 'api' : 'default';
  return {
    name,
    value: configValue(service.config, name) ?? null,
    source,
    ...(inFile && stored ? { shadowed_api_value: stored.value } : {}),
    ...(stored && !inFile ? { updated_at: iso(stored.updatedAt) } : {}),
  };
}

function settingName(req: AdminRequest): string {
  const name = req.params.name!;
  if (!isSetting(name)) throw notFound(name, 'setting');
  return name;
}

async function putSetting(service: ConfigService, req: AdminRequest) {
  const name = settingName(req);
  readOnlyWhenInFile(service, name);
  const body = parseInput(z.object({ value: z.unknown() }).strict(), await req.json());
  if (body.value === undefined) throw invalid(['value: required'], 'value');
  parseInput(settingSchema(name), body.value, 'value');
  await service.change(
    'setting changed',
    { setting: name },
    withSetting(service.objects(), name, body.value),
    () => service.store.putSetting(name, body.value),
  );
  return { body: view(service, name) };
}

async function deleteSetting(service: ConfigService, req: AdminRequest) {
  const name = settingName(req);
  readOnlyWhenInFile(service, name);
  if (!service.store.setting(name)) throw notFound(name, 'API value for setting');
  await service.change(
    'setting removed',
    { setting: name },
    withSetting(service.objects(), name, undefined),
    () => service.store.deleteSetting(name),
  );
  return { status: 204 };
}

function readOnlyWhenInFile(service: ConfigService, name: string): void {
  if (inputValue(service.manager.baseInput, name) !== undefined) {
    throw new GatewayError('read_only', {
      message: `The setting "${name}" is set in the configuration file and is read-only in the API; edit the file.`,
    });
  }
}
