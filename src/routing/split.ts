import type { SplitConfig, SplitGroupConfig } from '../config/schema/route';
import type { RequestContext } from '../core/context';
import { hash32, unitHash } from './hash';
import type { Route } from './route';

export interface SplitGroup {
  readonly name: string;
  readonly weight: number;
  /** The group's upstreams and strategy. */
  readonly pool: Route;
}

/** The response header that echoes the chosen group when none is configured. */
export const DEFAULT_GROUP_HEADER = 'x-switchyard-group';

/**
 * A weighted split of one route's traffic between upstream groups (canary: 80/20), sticky per
 * client by default, and optionally steered by a request header (A/B: `X-Test-Group: control`).
 */
export class TrafficSplit {
  /** Where the chosen group's name is echoed to the client. */
  readonly responseHeader: string;
  private readonly totalWeight: number;
  private readonly seed: number;

  constructor(
    routeName: string,
    private readonly config: SplitConfig,
    readonly groups: readonly SplitGroup[],
  ) {
    this.responseHeader = config.response_header ?? config.header ?? DEFAULT_GROUP_HEADER;
    this.totalWeight = groups.reduce((sum, group) => sum + group.weight, 0);
    this.seed = hash32(routeName);
  }

  /**
   * The group for this request: the one the split header names, else by weight — at a point fixed
   * by the client's identity (its token, else its IP) when sticky, at random otherwise.
   */
  choose(
    ctx: RequestContext,
    header: (name: string) => string | undefined,
    random: () => number,
  ): SplitGroup {
    if (this.config.header) {
      const asked = header(this.config.header);
      if (asked !== undefined) {
        for (const group of this.groups) if (group.name === asked) return group;
      }
    }
    const point = this.config.sticky ? unitHash(ctx.client?.name ?? ctx.clientIp, this.seed) : random();
    let remaining = point * this.totalWeight;
    for (const group of this.groups) {
      if (group.weight === 0) continue;
      remaining -= group.weight;
      if (remaining < 0) return group;
    }
    return this.groups.findLast((group) => group.weight > 0)!;
  }
}

export function createSplit(
  routeName: string,
  config: SplitConfig,
  poolOf: (group: SplitGroupConfig) => Route,
): TrafficSplit {
  const groups = config.groups.map((group) => ({
    name: group.name,
    weight: group.weight,
    pool: poolOf(group),
  }));
  return new TrafficSplit(routeName, config, groups);
}
