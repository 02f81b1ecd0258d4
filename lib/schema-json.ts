/**
 * JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it) of a lib/schema schema, from the `def`
 * each schema keeps: the OpenAPI document is written from the same schemas that validate requests,
 * so the two cannot drift. What JSON Schema cannot say (a transform, a refinement across fields)
 * is left to the description of the operation.
 */
import type { AnySchema, CheckDef } from './schema';

export type JsonSchema = { [keyword: string]: unknown };

export interface JsonSchemaOptions {
  /** `input`: what a request may send (defaults make keys optional); `output`: what is answered. */
  readonly io?: 'input' | 'output';
  /**
   * Schemas written as a `$ref` to this name wherever they appear inside the one converted (the
   * OpenAPI document's `components`); the converted schema itself is always written out.
   */
  readonly refs?: ReadonlyMap<AnySchema, string>;
}

export function toJsonSchema(schema: AnySchema, options: JsonSchemaOptions = {}): JsonSchema {
  const json = convert(schema, { ...options, io: options.io ?? 'input' });
  for (const check of schema.checks) Object.assign(json, checkKeywords(check.def, json));
  return json;
}

/** Whether an object may leave this key out, in the direction asked. */
export function isOptionalKey(schema: AnySchema, io: 'input' | 'output' = 'input'): boolean {
  const { def } = schema;
  if (def.type === 'optional' || def.type === 'nullish') return true;
  if (def.type === 'default') return io === 'input';
  if (def.type === 'pipe') return isOptionalKey(def.in, io);
  return false;
}

type ConvertOptions = JsonSchemaOptions & { readonly io: 'input' | 'output' };

/** A schema inside another: a `$ref` when it is a named one. */
function inner(schema: AnySchema, options: ConvertOptions): JsonSchema {
  const name = options.refs?.get(schema);
  return name === undefined ? toJsonSchema(schema, options) : { $ref: name };
}

function convert(schema: AnySchema, options: ConvertOptions): JsonSchema {
  const { io } = options;
  const { def } = schema;
  switch (def.type) {
    case 'string':
      return { type: 'string' };
    case 'url':
      return { type: 'string', format: 'uri' };
    case 'number':
      return { type: 'number' };
    case 'int':
      return { type: 'integer' };
    case 'boolean':
      return { type: 'boolean' };
    case 'unknown':
    case 'custom':
    case 'transform':
      return {};
    case 'literal':
      return { const: def.value };
    case 'enum':
      return { type: 'string', enum: [...def.values] };
    case 'object': {
      const keys = Object.keys(def.shape);
      const required = keys.filter((key) => !isOptionalKey(def.shape[key] as AnySchema, io));
      return {
        type: 'object',
        properties: Object.fromEntries(keys.map((key) => [key, inner(def.shape[key] as AnySchema, options)])),
        ...(required.length > 0 ? { required } : {}),
        ...(def.unknownKeys === 'strict' ? { additionalProperties: false } : {}),
      };
    }
    case 'array':
      return { type: 'array', items: inner(def.element, options) };
    case 'record':
      return {
        type: 'object',
        propertyNames: inner(def.key, options),
        additionalProperties: inner(def.value, options),
      };
    case 'union':
      return { anyOf: def.options.map((option) => inner(option, options)) };
    case 'optional':
      return inner(def.inner, options);
    case 'nullable':
    case 'nullish':
      return { anyOf: [inner(def.inner, options), { type: 'null' }] };
    case 'default':
      return { ...inner(def.inner, options), default: def.value };
    case 'pipe': {
      // A request is described by what it may send, an answer by what the pipe gives; a guard
      // (custom) or a transform says nothing JSON Schema can, so the other end describes it.
      const side = io === 'input' ? def.in : def.out;
      const other = side === def.in ? def.out : def.in;
      const opaque = (candidate: AnySchema) =>
        candidate.def.type === 'custom' || candidate.def.type === 'transform';
      return inner(opaque(side) ? other : side, options);
    }
  }
}

/** A check's keywords, named for the type they constrain (`minLength` or `minItems`). */
function checkKeywords(def: CheckDef, json: JsonSchema): JsonSchema {
  if (!def) return {};
  if (def.type === 'int') return json.type === 'number' ? { type: 'integer' } : {};
  const isArray = json.type === 'array';
  const keywords: JsonSchema = {};
  for (const [keyword, value] of Object.entries(def)) {
    if (keyword === 'minLength' || keyword === 'maxLength') {
      if (!isArray) keywords[keyword] = value;
    } else if (keyword === 'minItems' || keyword === 'maxItems') {
      if (isArray) keywords[keyword] = value;
    } else {
      keywords[keyword] = value;
    }
  }
  return keywords;
}
