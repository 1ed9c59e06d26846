import type { Config } from '../../config/schema/index';
import { isLiteral } from '../../routing/match/pattern';

/**
 * The model names the configuration itself names: upstream and route `models`, route rewrites
 * and exact `match.model` names. Statistics always keep a series for these; any other name a
 * client sends shares the per-slot cap.
 */
export function configuredModels(config: Config): Set<string> {
  const models = new Set<string>();
  for (const upstream of config.upstreams) for (const model of upstream.models) models.add(model);
  for (const route of config.routes ?? []) {
    for (const model of route.models ?? []) models.add(model);
    if (route.rewrite) models.add(route.rewrite.model);
    for (const pattern of route.match?.model ?? []) if (isLiteral(pattern)) models.add(pattern);
  }
  return models;
}
