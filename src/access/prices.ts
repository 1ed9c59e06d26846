import type { PriceConfig } from '../config/schema/access';
import { GlobMap } from './glob';
import type { Usage } from './usage/usage';

/** `prices`: USD per million tokens by model name or glob; null for a model without a price. */
export class Prices {
  private readonly table: GlobMap<PriceConfig>;

  constructor(prices: Readonly<Record<string, PriceConfig>>) {
    this.table = new GlobMap(Object.entries(prices));
  }

  cost(model: string | undefined, usage: Pick<Usage, 'promptTokens' | 'completionTokens' | 'cachedTokens'>) {
    const price = model === undefined ? undefined : this.table.get(model);
    if (!price) return null;
    const cached = Math.min(usage.cachedTokens, usage.promptTokens);
    const input = (usage.promptTokens - cached) * price.input + cached * (price.cached_input ?? price.input);
    return (input + usage.completionTokens * price.output) / 1_000_000;
  }
}
