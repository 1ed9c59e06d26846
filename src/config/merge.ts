import { inputValue, setInputValue } from './settings';

/** The admin API's objects, as the store holds them (definitions are raw inputs without keys). */
export interface ApiObjects {
  readonly upstreams: readonly {
    readonly name: string;
    readonly definition: Record<string, unknown>;
    /** The enabled keys' secrets. */
    readonly keys: readonly string[];
  }[];
  readonly routes: readonly { readonly name: string; readonly definition: Record<string, unknown> }[];
  readonly settings: ReadonlyMap<string, unknown>;
}

export interface MergedInput {
  /** One raw configuration input: the file's objects first, then the API's. */
  readonly input: Record<string, unknown>;
  /** API objects not applied because the file defines one of the same name: the file wins. */
  readonly shadowed: { readonly upstreams: string[]; readonly routes: string[]; readonly settings: string[] };
  /** Names of the merged list entries that came from the API, by list and index. */
  readonly apiEntries: { readonly upstreams: Map<number, string>; readonly routes: Map<number, string> };
}

export const IMPLICIT_ROUTE = 'default';

/**
 * One configuration, two sources (docs/admin.md): the file is a complete configuration on its
 * own; API upstreams and routes are appended after the file's, API settings fill fields the file
 * leaves unset. On a name clash the file wins and the API object is reported as shadowed.
 * When the file has no `routes`, its implicit default route (all upstreams) stays last.
 */
export function mergeInputs(base: Record<string, unknown>, api: ApiObjects): MergedInput {
  const input: Record<string, unknown> = { ...base };
  const shadowed = { upstreams: [] as string[], routes: [] as string[], settings: [] as string[] };
  const apiEntries = { upstreams: new Map<number, string>(), routes: new Map<number, string>() };

  const upstreams = listOf(base.upstreams);
  const fileUpstreams = namesOf(upstreams);
  for (const upstream of api.upstreams) {
    if (fileUpstreams.has(upstream.name)) {
      shadowed.upstreams.push(upstream.name);
      continue;
    }
    apiEntries.upstreams.set(upstreams.length, upstream.name);
    upstreams.push({ ...upstream.definition, name: upstream.name, keys: upstream.keys });
  }
  if (upstreams.length > 0 || base.upstreams !== undefined) input.upstreams = upstreams;

  const routes = mergeRoutes(base, api, upstreams, shadowed.routes, apiEntries.routes);
  if (routes) input.routes = routes;

  for (const [name, value] of api.settings) {
    if (inputValue(base, name) !== undefined) shadowed.settings.push(name);
    else setInputValue(input, name, value);
  }
  return { input, shadowed, apiEntries };
}

function mergeRoutes(
  base: Record<string, unknown>,
  api: ApiObjects,
  upstreams: readonly unknown[],
  shadowed: string[],
  apiEntries: Map<number, string>,
): unknown[] | undefined {
  if (api.routes.length === 0) return base.routes === undefined ? undefined : listOf(base.routes);
  const routes = listOf(base.routes);
  const fileRoutes = namesOf(routes);
  for (const route of api.routes) {
    if (fileRoutes.has(route.name)) {
      shadowed.push(route.name);
      continue;
    }
    apiEntries.set(routes.length, route.name);
    routes.push({ ...route.definition, name: route.name });
  }
  const hasImplicit = base.routes === undefined && !api.routes.some((r) => r.name === IMPLICIT_ROUTE);
  if (hasImplicit && upstreams.length > 0) {
    routes.push({ name: IMPLICIT_ROUTE, upstreams: [...namesOf(upstreams)] });
  }
  return routes;
}

/**
 * Rewrites `upstreams[5].url: …` as `upstreams[5] (admin API upstream "x").url: …` so a problem
 * in the merged configuration points at the object that has it.
 */
export function annotateProblems(problems: readonly string[], merged: MergedInput): string[] {
  return problems.map((line) =>
    line.replace(/^(upstreams|routes)\[(\d+)\]/, (whole, list: 'upstreams' | 'routes', index: string) => {
      const name = merged.apiEntries[list].get(Number(index));
      return name === undefined ? whole : `${whole} (admin API ${list.slice(0, -1)} "${name}")`;
    }),
  );
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? [...value] : [];
}

function namesOf(list: readonly unknown[]): Set<string> {
  const names = new Set<string>();
  for (const item of list) {
    const name = (item as { name?: unknown } | null)?.name;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}
