import type { Json } from '../codec';
import type { IrRequest, IrTool } from '../ir';
import { obj, str } from '../translate/json';

/**
 * OpenAI's custom tools (Codex's `apply_patch`) take free text, optionally in a grammar, where
 * other APIs only know JSON arguments. Across formats such a tool is a function with one string
 * parameter, `input` (the grammar in its description), and the call's `{"input": …}` becomes the
 * custom call's text again on the way back.
 */
export function freeformTool(tool: Json): IrTool | undefined {
  const name = str(tool.name);
  if (!name) return undefined;
  const format = obj(tool.format);
  const grammar = format?.type === 'grammar' ? str(format.definition) : undefined;
  const input = grammar
    ? `The input, in this ${str(format?.syntax) ?? ''} grammar:\n${grammar}`
    : 'The input, as free text.';
  return {
    name,
    description: str(tool.description),
    schema: {
      type: 'object',
      properties: { input: { type: 'string', description: input } },
      required: ['input'],
      additionalProperties: false,
    },
    freeform: true,
  };
}

/** A freeform call's text as JSON arguments. */
export function freeformArgs(input: string): string {
  return JSON.stringify({ input });
}

/** The text of a freeform call from its JSON arguments (the arguments themselves when not such JSON). */
export function freeformInput(args: string): string {
  try {
    const input = obj(JSON.parse(args))?.input;
    return typeof input === 'string' ? input : args;
  } catch {
    return args;
  }
}

/** The names of the request's freeform tools. */
export function freeformNames(request: IrRequest): ReadonlySet<string> {
  return new Set(request.tools.flatMap((tool) => (tool.freeform ? [tool.name] : [])));
}
