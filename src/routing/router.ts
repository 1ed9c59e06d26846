import { type HeaderCondition, hostname } from './match/conditions';
import { DimensionIndex } from './match/dimension-index';
import { buildModelCatalog, type ModelCatalog } from './model-list';
import type { Route } from './route';

/** What route matching may look at. The body is parsed only when a rule needs `model`. */
export interface RouteInput {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly header: (name: string) => string | undefined;
  /** The `model` of a JSON body, read lazily; undefined when absent. */
  readonly model: () => string | undefined;
}

/**
 * Ordered routes, first match wins; a route without `match` matches everything. Every pattern is
 * compiled at load, and each request dimension has a DimensionIndex, so a match costs a few map
 * lookups and a bitset AND whatever the number of routes.
 */
export class Router {
  /** The models that GET /v1/models lists, from the routes' configuration. */
  readonly models: ModelCatalog;
  private readonly words: number;
  private readonly valid: Uint32Array;
  private readonly model: DimensionIndex | undefined;
  private readonly path: DimensionIndex | undefined;
  private readonly host: DimensionIndex | undefined;
  private readonly method: DimensionIndex | undefined;
  private readonly headers: readonly (readonly HeaderCondition[] | undefined)[];

  constructor(readonly routes: readonly Route[]) {
    const words = Math.ceil(routes.length / 32);
    this.words = words;
    this.valid = new Uint32Array(words);
    routes.forEach((_route, i) => {
      this.valid[i >>> 5]! |= 1 << (i & 31);
    });
    const index = (
      tests: (route: Route) => ((value: string) => boolean) | undefined,
      normalize?: (v: string) => string,
    ) => {
      const list = routes.map(tests);
      return list.some((test) => test !== undefined) ? new DimensionIndex(list, words, normalize) : undefined;
    };
    this.model = index((route) => route.conditions.model);
    this.path = index((route) => route.conditions.path);
    this.host = index((route) => route.conditions.host, hostname);
    this.method = index((route) => route.conditions.method);
    this.headers = routes.map((route) => route.conditions.headers);
    this.models = buildModelCatalog(routes);
  }

  match(input: RouteInput): Route | undefined {
    const model = this.model?.mask(input.model());
    const path = this.path?.mask(input.path);
    const host = this.host?.mask(input.host || undefined);
    const method = this.method?.mask(input.method);
    for (let word = 0; word < this.words; word++) {
      let bits = this.valid[word]!;
      if (model) bits &= model[word]!;
      if (path) bits &= path[word]!;
      if (host) bits &= host[word]!;
      if (method) bits &= method[word]!;
      while (bits !== 0) {
        const lowest = bits & -bits;
        const index = word * 32 + (31 - Math.clz32(lowest));
        if (headersMatch(this.headers[index], input)) return this.routes[index];
        bits ^= lowest;
      }
    }
    return undefined;
  }
}

function headersMatch(conditions: readonly HeaderCondition[] | undefined, input: RouteInput): boolean {
  if (conditions === undefined) return true;
  for (const condition of conditions) {
    const value = input.header(condition.name);
    if (value === undefined || !condition.test(value)) return false;
  }
  return true;
}
