import { z } from 'zod';
import { routeCacheSchema } from './cache';
import { bodyActionsSchema, headerActionsSchema, rejectSchema, rewriteSchema } from './route-actions';
import { routeMatchSchema } from './route-match';
import { checkUnique } from './unique';
import { nameField } from './upstream';

export const STRATEGY_NAMES = [
  'round-robin',
  'weighted-round-robin',
  'random',
  'weighted-random',
  'least-connections',
  'lowest-latency',
  'adaptive',
  'consistent-hash',
] as const;

/** What `consistent-hash` hashes, and how far one member may be loaded above the average. */
export const hashSchema = z
  .object({
    key: z.enum(['client_ip', 'header', 'client']).default('client_ip'),
    header: z
      .string()
      .min(1)
      .transform((name) => name.toLowerCase())
      .optional(),
    load_factor: z.number().min(1).max(100).default(1.25),
  })
  .strict()
  .refine((hash) => hash.key !== 'header' || hash.header !== undefined, {
    message: 'key "header" needs the header name in hash.header',
    path: ['header'],
  });

const strategyField = z.enum(STRATEGY_NAMES).default('round-robin');

const splitGroupSchema = z
  .object({
    name: nameField,
    weight: z.number().int().min(0).max(1_000_000).default(1),
    upstreams: z.array(nameField).min(1, 'must name at least one upstream'),
    strategy: strategyField,
    hash: hashSchema.optional(),
  })
  .strict();

/** Traffic split between upstream groups: canary weights, sticky per client, or A/B by header. */
export const splitSchema = z
  .object({
    groups: z.array(splitGroupSchema).min(1),
    sticky: z.boolean().default(true),
    header: z
      .string()
      .min(1)
      .transform((name) => name.toLowerCase())
      .optional(),
    response_header: z
      .string()
      .min(1)
      .transform((name) => name.toLowerCase())
      .optional(),
  })
  .strict()
  .superRefine((split, ctx) => {
    if (split.groups.every((group) => group.weight === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['groups'],
        message: 'at least one group needs a weight above 0',
      });
    }
    checkUnique(
      split.groups.map((group) => group.name),
      'groups',
      ctx,
      'group',
    );
  });

/** A route's fields without the cross-field rule (admin patches take a partial of this). */
export const routeObjectSchema = z
  .object({
    name: nameField,
    match: routeMatchSchema.optional(),
    upstreams: z.array(nameField).min(1, 'must name at least one upstream').optional(),
    strategy: strategyField,
    hash: hashSchema.optional(),
    split: splitSchema.optional(),
    protocol: z.enum(['http', 'doh']).default('http'),
    rewrite: rewriteSchema.optional(),
    headers: headerActionsSchema.optional(),
    body: bodyActionsSchema.optional(),
    reject: rejectSchema.optional(),
    models: z.array(z.string().min(1)).optional(),
    cache: routeCacheSchema.optional(),
  })
  .strict();

export const routeSchema = routeObjectSchema.superRefine((route, ctx) => {
  const targets = [route.upstreams, route.split, route.reject].filter((t) => t !== undefined).length;
  if (targets !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['upstreams'],
      message: 'a route needs exactly one of upstreams, split or reject',
    });
  }
});

/** Every upstream name a route refers to, with its path in the configuration. */
export function routeUpstreamReferences(route: RouteConfig): { path: (string | number)[]; name: string }[] {
  const refs = (route.upstreams ?? []).map((name, index) => ({ path: ['upstreams', index], name }));
  route.split?.groups.forEach((group, groupIndex) => {
    group.upstreams.forEach((name, index) => {
      refs.push({ path: ['split', 'groups', groupIndex, 'upstreams', index], name });
    });
  });
  return refs;
}

export type RouteConfig = z.output<typeof routeSchema>;
export type RouteInputConfig = z.input<typeof routeSchema>;
export type HashConfig = z.output<typeof hashSchema>;
export type SplitConfig = z.output<typeof splitSchema>;
export type SplitGroupConfig = SplitConfig['groups'][number];
export type StrategyName = (typeof STRATEGY_NAMES)[number];
