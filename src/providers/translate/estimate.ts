import { countTokens } from '../../access/usage/tokenizer';
import type { IrPart, IrRequest } from '../ir';

/** Framing per message and per tool, and an image's usual cost (OpenAI's recipe, roughly). */
const PER_MESSAGE = 3;
const PER_TOOL = 8;
const PER_IMAGE = 765;

/**
 * The prompt's tokens counted locally: system prompt, every message part and the tool
 * definitions. Used where a format announces input tokens before the upstream reports them
 * (Anthropic's `message_start`) and by `count_tokens` when the upstream cannot count.
 */
export function estimateInputTokens(request: IrRequest): number {
  let tokens = 0;
  for (const text of request.system) tokens += countTokens(text) + PER_MESSAGE;
  for (const message of request.messages) {
    tokens += PER_MESSAGE;
    for (const part of message.parts) tokens += partTokens(part);
  }
  for (const tool of request.tools) {
    tokens += PER_TOOL + countTokens(tool.name) + countTokens(tool.description ?? '');
    tokens += countTokens(JSON.stringify(tool.schema));
  }
  return tokens;
}

function partTokens(part: IrPart): number {
  switch (part.type) {
    case 'text':
      return countTokens(part.text);
    case 'image':
      return PER_IMAGE;
    case 'thinking':
      return countTokens(part.text);
    case 'redacted_thinking':
      return Math.ceil(part.data.length / 4);
    case 'tool_call':
      return countTokens(part.name) + countTokens(part.args);
    case 'tool_result':
      return part.content.reduce((sum, inner) => sum + partTokens(inner), PER_MESSAGE);
  }
}
