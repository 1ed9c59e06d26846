import type { Json } from '../codec';
import { arr, obj, str } from '../translate/json';

/**
 * JSON Schema → the OpenAPI subset Gemini takes in `functionDeclarations[].parameters` and
 * `responseSchema`. Gemini answers 400 "Unknown name …" for any keyword outside its `Schema`
 * (`$schema`, `additionalProperties`, `const`, `propertyNames`, `exclusiveMinimum`, `examples`,
 * `$ref`…), "should be non-empty for OBJECT type" for `properties: {}`, and refuses string
 * formats other than `enum` and `date-time`. So: only the keywords below are kept; `$ref` is
 * inlined from `$defs`/`definitions` (a recursive one becomes a bare object); `const` becomes a
 * one-value `enum`; `oneOf` becomes `anyOf`; `allOf` is merged; `null` in a type or an `anyOf`
 * becomes `nullable`; exclusive bounds become inclusive ones.
 */
export function geminiSchema(schema: Json): Json {
  const defs = { ...(obj(schema.definitions) ?? {}), ...(obj(schema.$defs) ?? {}) };
  return clean(schema, { defs, seen: [] });
}

interface Scope {
  readonly defs: Json;
  /** The `$ref`s being inlined above this point (a repeat is a cycle). */
  readonly seen: readonly string[];
}

const COPIED = [
  'title',
  'description',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'minProperties',
  'maxProperties',
  'minimum',
  'maximum',
] as const;

const FORMATS: Record<string, readonly string[]> = {
  string: ['enum', 'date-time'],
  number: ['float', 'double'],
  integer: ['int32', 'int64'],
};

function clean(raw: Json, scope: Scope): Json {
  const ref = str(raw.$ref);
  if (ref !== undefined) return inlineRef(ref, raw, scope);
  if (Array.isArray(raw.allOf)) return clean(mergeAll(raw), scope);
  const out: Json = {};
  const { type, nullable } = typeOf(raw);
  if (type) out.type = type;
  for (const key of COPIED) if (raw[key] !== undefined) out[key] = raw[key];
  if (typeof raw.exclusiveMinimum === 'number') out.minimum = raw.exclusiveMinimum;
  if (typeof raw.exclusiveMaximum === 'number') out.maximum = raw.exclusiveMaximum;
  const format = str(raw.format);
  if (format && type && FORMATS[type]?.includes(format)) out.format = format;
  const values = enumOf(raw);
  if (values.strings.length > 0) {
    out.enum = values.strings;
    out.type = 'string';
  } else out.type ??= values.numeric;
  const isNullable = alternatives(raw, out, scope) || nullable || values.hasNull;
  properties(raw, out, scope);
  if (out.type === 'array' || raw.items !== undefined)
    out.items = obj(raw.items) ? clean(obj(raw.items)!, scope) : { type: 'string' };
  if (isNullable) out.nullable = true;
  return out;
}

/** `anyOf`/`oneOf` as `anyOf`, a `null` alternative as `nullable`; true when there was one. */
function alternatives(raw: Json, out: Json, scope: Scope): boolean {
  const items = arr(raw.anyOf ?? raw.oneOf).flatMap((item) => (obj(item) ? [obj(item)!] : []));
  const real = items.filter((item) => typeOf(item).type !== 'null' || item.$ref !== undefined);
  if (real.length === 1)
    for (const [key, value] of Object.entries(clean(real[0]!, scope))) out[key] ??= value;
  else if (real.length > 1) out.anyOf = real.map((item) => clean(item, scope));
  return real.length < items.length;
}

function properties(raw: Json, out: Json, scope: Scope): void {
  const props = obj(raw.properties);
  if (!props || Object.keys(props).length === 0) return;
  const cleaned: Json = {};
  for (const [name, value] of Object.entries(props)) cleaned[name] = clean(obj(value) ?? {}, scope);
  out.properties = cleaned;
  out.type ??= 'object';
  const required = arr(raw.required).filter(
    (name): name is string => typeof name === 'string' && name in cleaned,
  );
  if (required.length > 0) out.required = required;
}

function inlineRef(ref: string, raw: Json, scope: Scope): Json {
  const name = ref.replace(/^#\/(?:\$defs|definitions)\//, '');
  const target = obj(scope.defs[name]);
  const description = str(raw.description);
  if (!target || scope.seen.includes(ref))
    return description ? { type: 'object', description } : { type: 'object' };
  const inlined = clean(target, { defs: scope.defs, seen: [...scope.seen, ref] });
  return description ? { ...inlined, description } : inlined;
}

/** `allOf` as one schema: the parts' properties and required names together. */
function mergeAll(raw: Json): Json {
  const { allOf, ...rest } = raw;
  const merged: Json = { ...rest };
  const props: Json = { ...(obj(rest.properties) ?? {}) };
  const required = new Set(arr(rest.required));
  for (const item of arr(allOf)) {
    const part = obj(item) ?? {};
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties') Object.assign(props, obj(value) ?? {});
      else if (key === 'required') for (const name of arr(value)) required.add(name);
      else merged[key] ??= value;
    }
  }
  if (Object.keys(props).length > 0) merged.properties = props;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

/** The one type a schema has, and whether `null` was among its types. */
function typeOf(raw: Json): { type: string | undefined; nullable: boolean } {
  const types = (Array.isArray(raw.type) ? raw.type : [raw.type]).flatMap((t) =>
    typeof t === 'string' ? [t.toLowerCase()] : [],
  );
  const real = types.filter((t) => t !== 'null');
  const nullable = real.length < types.length || raw.nullable === true;
  if (real.length === 0 && types.includes('null')) return { type: 'null', nullable: true };
  return { type: real[0], nullable };
}

/**
 * `enum`/`const` values Gemini can carry (strings only), whether `null` was one of them, and
 * the type of an all-number enum (which is dropped: Gemini takes no numeric enums).
 */
function enumOf(raw: Json): { strings: string[]; hasNull: boolean; numeric?: string } {
  const values = raw.const !== undefined ? [raw.const] : arr(raw.enum);
  const all = values.filter((v) => v !== null);
  const strings = all.filter((v): v is string => typeof v === 'string');
  const numbers = all.filter((v): v is number => typeof v === 'number');
  const numeric =
    numbers.length > 0 && numbers.length === all.length
      ? numbers.every(Number.isInteger)
        ? 'integer'
        : 'number'
      : undefined;
  return { strings: strings.length === all.length ? strings : [], hasNull: values.includes(null), numeric };
}

/**
 * Gemini's `Schema` → JSON Schema, for a Gemini client's tools sent to another API: upper-case
 * types (`OBJECT`, as the SDKs write them) in lower case, `nullable` as a `null` type, and the
 * Gemini-only `propertyOrdering` and `format: enum` left out.
 */
export function jsonSchemaOf(schema: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'propertyOrdering') continue;
    if (key === 'type' && typeof value === 'string') out.type = value.toLowerCase();
    else if (key === 'format' && value === 'enum') continue;
    else if (key === 'properties' && obj(value)) {
      const props: Json = {};
      for (const [name, inner] of Object.entries(obj(value)!)) props[name] = jsonSchemaOf(obj(inner) ?? {});
      out.properties = props;
    } else if (key === 'items' && obj(value)) out.items = jsonSchemaOf(obj(value)!);
    else if (key === 'anyOf') out.anyOf = arr(value).map((item) => jsonSchemaOf(obj(item) ?? {}));
    else out[key] = value;
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}
