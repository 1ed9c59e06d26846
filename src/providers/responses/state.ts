import type { Json } from '../codec';
import { arr, obj } from '../translate/json';

/**
 * The Responses fields that refer to state OpenAI keeps on its servers (an earlier response, a
 * conversation, a stored prompt, a stored item). A translated request cannot carry them: the other APIs are
 * stateless, and the gateway stores no responses. `store` is ignored instead (nothing is kept).
 */
const SERVER_STATE = ['previous_response_id', 'conversation', 'prompt'] as const;

/** The first server-state field the request sets, if any. */
export function serverStateField(json: Json | undefined): string | undefined {
  if (!json) return undefined;
  const field = SERVER_STATE.find((name) => json[name] !== undefined && json[name] !== null);
  if (field) return field;
  return arr(json.input).some((item) => obj(item)?.type === 'item_reference') ? 'item_reference' : undefined;
}
