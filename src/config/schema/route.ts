import { z } from 'zod';
import { nameField } from './upstream';

export const STRATEGY_NAMES = ['round-robin', 'random'] as const;

export const routeSchema = z
  .object({
    name: nameField,
    upstreams: z.array(nameField).min(1, 'must name at least one upstream'),
    strategy: z.enum(STRATEGY_NAMES).default('round-robin'),
  })
  .strict();

export type RouteConfig = z.output<typeof routeSchema>;
export type StrategyName = (typeof STRATEGY_NAMES)[number];
