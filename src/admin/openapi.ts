import { ERROR_TABLE } from '../core/errors';
import type { AdminRouteDoc, AdminRouter } from './router';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message', 'type', 'code'],
      properties: {
        message: { type: 'string' },
        type: { type: 'string' },
        param: { type: ['string', 'null'], description: 'the field a validation error is about' },
        code: { type: 'string', enum: Object.keys(ERROR_TABLE) },
      },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/**
 * The OpenAPI 3.1 document of every route registered on the admin router, whoever registered
 * it: built on each request from `router.list()`, so it cannot drift from the routes.
 */
export function openApiDocument(router: AdminRouter, version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, pattern, doc } of router.list()) {
    const path = pattern.replace(/:([A-Za-z_]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = operation(method, pattern, doc);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard admin API',
      version,
      description: 'Every call needs the admin key: `Authorization: Bearer <admin.key>` (or `x-admin-key`).',
    },
    security: [{ adminKey: [] }],
    paths,
    components: {
      securitySchemes: {
        adminKey: { type: 'http', scheme: 'bearer', description: 'the admin key (admin.key)' },
      },
      schemas: { Error: ERROR_SCHEMA },
    },
  };
}

function operation(method: string, pattern: string, doc: AdminRouteDoc | undefined): Record<string, unknown> {
  const pathParams = [...pattern.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const queryParams = (doc?.query ?? []).map((q) => ({
    name: q.name,
    in: 'query',
    required: false,
    description: q.description,
    schema: { type: 'string' },
  }));
  const parameters = [...pathParams, ...queryParams];
  return {
    summary: doc?.summary ?? `${method} ${pattern}`,
    tags: [doc?.tag ?? 'Other'],
    operationId: operationId(method, pattern),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc?.requestBody ? { requestBody: doc.requestBody } : {}),
    responses: {
      ...(doc?.responses ?? { '200': { description: 'OK' } }),
      '400': errorResponse('invalid request; `error.param` names the field'),
      '401': errorResponse('missing or wrong admin key'),
      '404': errorResponse('unknown resource, or the admin API is off'),
    },
  };
}

function operationId(method: string, pattern: string): string {
  const words = pattern
    .replace(/^\/admin\/?/, '')
    .split(/[/.-]/)
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `by_${part.slice(1)}` : part));
  return [method.toLowerCase(), ...words].join('_');
}

export function registerOpenApiRoute(router: AdminRouter, version: string): void {
  router.add('GET', '/admin/openapi.json', () => ({ body: openApiDocument(router, version) }), {
    summary: 'This OpenAPI document: every admin route',
    tag: 'Admin API',
  });
}
