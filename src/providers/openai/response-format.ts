import type { Json } from '../codec';
import type { IrResponseFormat } from '../ir';
import { defined, obj, str } from '../translate/json';

/** Chat's `response_format` → IR (`text` and unknown types: none); the schema is under `json_schema`. */
export function parseChatResponseFormat(value: unknown): IrResponseFormat | undefined {
  const format = obj(value);
  return parseResponseFormat(format?.type, obj(format?.json_schema));
}

/**
 * A structured-output request → IR, from its type and the object holding `name`, `schema`,
 * `description` and `strict` (Chat nests it under `json_schema`; Responses' `text.format` is it).
 */
export function parseResponseFormat(type: unknown, spec: Json | undefined): IrResponseFormat | undefined {
  if (type === 'json_object') return { type: 'json_object' };
  if (type !== 'json_schema' || !spec) return undefined;
  return {
    type: 'json_schema',
    name: str(spec.name) ?? 'response',
    schema: obj(spec.schema) ?? {},
    description: str(spec.description),
    strict: typeof spec.strict === 'boolean' ? spec.strict : undefined,
  };
}

/** IR → Chat's `response_format`. */
export function chatResponseFormat(format: IrResponseFormat | undefined): Json | undefined {
  if (!format) return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  const { name, schema, description, strict } = format;
  return { type: 'json_schema', json_schema: defined({ name, description, schema, strict }) };
}
