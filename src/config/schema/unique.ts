import type { z } from 'zod';

/** Reports every repeated name of a list at `field[index].name` ("duplicate name "x"" by default). */
export function checkUnique(
  names: readonly string[],
  field: string,
  ctx: z.RefinementCtx,
  noun = 'name',
): void {
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (seen.has(name)) {
      ctx.addIssue({ code: 'custom', path: [field, index, 'name'], message: `duplicate ${noun} "${name}"` });
    }
    seen.add(name);
  });
}
