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

/** Ordered routes, first match wins. A route without `match` matches everything. */
export class Router {
  constructor(readonly routes: readonly Route[]) {}

  match(_input: RouteInput): Route | undefined {
    return this.routes[0];
  }
}
