/**
 * How deep client JSON may nest (objects and arrays). Every later step (routes, rewrites, the
 * token estimate, serialising a rewritten body with JSON.stringify, which recurses) stays far
 * from the stack limit; real API bodies (tool schemas included) nest a few dozen levels at most.
 */
export const MAX_JSON_DEPTH = 128;

/** True when `value` nests more than `max` objects or arrays deep. Iterative: any depth is safe. */
export function exceedsDepth(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}
