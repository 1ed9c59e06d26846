import type { RouteMatchConfig } from '../../config/schema/route-match';
import { compilePatterns, type ValueTest } from './pattern';

/** A route's `match`, compiled: one test per dimension, undefined where the route has no condition. */
export interface CompiledConditions {
  readonly model: ValueTest | undefined;
  readonly path: ValueTest | undefined;
  readonly host: ValueTest | undefined;
  readonly method: ValueTest | undefined;
  /** Header conditions, checked last and only on routes the other dimensions let through. */
  readonly headers: readonly HeaderCondition[] | undefined;
}

export interface HeaderCondition {
  readonly name: string;
  readonly test: ValueTest;
}

export function compileConditions(match: RouteMatchConfig | undefined): CompiledConditions {
  const methods = match?.method ? new Set(match.method) : undefined;
  const headers = match?.headers
    ? Object.entries(match.headers).map(([name, patterns]) => ({
        name: name.toLowerCase(),
        test: compilePatterns(patterns, 'header'),
      }))
    : undefined;
  return {
    model: match?.model ? compilePatterns(match.model, 'model') : undefined,
    path: match?.path ? compilePatterns(match.path, 'path') : undefined,
    host: match?.host ? compilePatterns(match.host, 'host') : undefined,
    method: methods ? (value) => methods.has(value.toUpperCase()) : undefined,
    headers: headers && headers.length > 0 ? headers : undefined,
  };
}

/** `Host` as routes compare it: lower case, without the port. */
export function hostname(host: string): string {
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.indexOf(':');
  return (end > 0 ? host.slice(0, end) : host).toLowerCase();
}
