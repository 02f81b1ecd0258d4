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
}

export function toJsonSchema(schema: AnySchema, options: JsonSchemaOptions = {}): JsonSchema {
  const io = options.io ?? 'input';
  const json = convert(schema, io);
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

function convert(schema: AnySchema, io: 'input' | 'output'): JsonSchema {
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
        properties: Object.fromEntries(
          keys.map((key) => [key, toJsonSchema(def.shape[key] as AnySchema, { io })]),
        ),
        ...(required.length > 0 ? { required } : {}),
        ...(def.unknownKeys === 'strict' ? { additionalProperties: false } : {}),
      };
    }
    case 'array':
      return { type: 'array', items: toJsonSchema(def.element, { io }) };
    case 'record':
      return {
        type: 'object',
        propertyNames: toJsonSchema(def.key, { io }),
        additionalProperties: toJsonSchema(def.value, { io }),
      };
    case 'union':
      return { anyOf: def.options.map((option) => toJsonSchema(option, { io })) };
    case 'optional':
      return toJsonSchema(def.inner, { io });
    case 'nullable':
    case 'nullish':
      return { anyOf: [toJsonSchema(def.inner, { io }), { type: 'null' }] };
    case 'default':
      return { ...toJsonSchema(def.inner, { io }), default: def.value };
    case 'pipe': {
      // A request is described by what it may send, an answer by what the pipe gives; a guard
      // (custom) or a transform says nothing JSON Schema can, so the other end describes it.
      const side = io === 'input' ? def.in : def.out;
      const other = side === def.in ? def.out : def.in;
      const opaque = (candidate: AnySchema) =>
        candidate.def.type === 'custom' || candidate.def.type === 'transform';
      return toJsonSchema(opaque(side) ? other : side, { io });
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
