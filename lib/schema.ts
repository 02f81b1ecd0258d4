/**
 * The schemas every trust boundary parses with: path, query, body, JWT claims, configuration,
 * ECS payloads and items read back from DynamoDB. The API is the subset of zod/mini's that this
 * project uses, with zod's results, issue paths and English messages, so a schema reads as zod
 * and `z.infer` works as in zod.
 *
 * Why not zod itself: issue 6's cold-load budget. Loading zod/mini and building this project's
 * schemas cost a function 8-9 ms of a 7 ms allowance over the floor (measured with
 * `npx tsx bench/bundles.ts`: 1.33x the floor with zod, see README "Performance"). This module
 * is about 4 KB and builds a schema with one object literal. test/unit/lib/schema.test.ts checks it
 * against zod itself on generated inputs.
 *
 * Each schema keeps a plain description of itself (`def`) from which lib/schema-json.ts writes
 * the JSON Schema of the OpenAPI document.
 */

export interface Issue {
  readonly code: string;
  readonly path: PropertyKey[];
  readonly message: string;
}

export type SafeParseResult<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly error: { readonly issues: Issue[] } };

/** What a schema is, for JSON Schema: its kind and the facts that kind needs. */
export type Def =
  | { readonly type: 'string' | 'number' | 'boolean' | 'unknown' | 'url' }
  | { readonly type: 'int' }
  | { readonly type: 'literal'; readonly value: string | number | boolean }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | {
      readonly type: 'object';
      readonly shape: Readonly<Record<string, AnySchema>>;
      readonly unknownKeys: 'strip' | 'strict' | 'passthrough';
    }
  | { readonly type: 'array'; readonly element: AnySchema }
  | { readonly type: 'record'; readonly key: AnySchema; readonly value: AnySchema }
  | { readonly type: 'union'; readonly options: readonly AnySchema[] }
  | { readonly type: 'optional' | 'nullable' | 'nullish'; readonly inner: AnySchema }
  | { readonly type: 'default'; readonly inner: AnySchema; readonly value: unknown }
  | { readonly type: 'pipe'; readonly in: AnySchema; readonly out: AnySchema }
  | { readonly type: 'transform' | 'custom' };

/** A check's JSON Schema keywords (`{minLength: 1}`), or nothing when JSON Schema cannot say it. */
export type CheckDef = Readonly<Record<string, unknown>> | undefined;

export interface Check<in T> {
  readonly def: CheckDef;
  /**
   * When a length check runs even though the value's type or an earlier check failed (as zod's do,
   * on anything with a length); other checks run only while nothing fatal has been found.
   */
  readonly when?: (value: unknown) => boolean;
  run(value: T, path: PropertyKey[], issues: Issue[]): void;
}

const INVALID: unique symbol = Symbol('invalid');
type Invalid = typeof INVALID;

/**
 * Issues after which zod still runs a value's refinements: failed checks and unknown keys. A wrong
 * type or value is not one of them, so a refinement never sees a value of the wrong shape.
 */
const continuable = new WeakSet<Issue>();
const fatalSince = (issues: Issue[], from: number) =>
  issues.some((issue, index) => index >= from && !continuable.has(issue));

/** The value a transform returns to say "invalid" after pushing its issue. */
export const NEVER = INVALID as never;

export interface Schema<Out, In = unknown> {
  readonly _output: Out;
  readonly _input: (input: In) => void;
  readonly def: Def;
  readonly checks: readonly Check<Out>[];
  run(input: unknown, path: PropertyKey[], issues: Issue[]): Out | Invalid;
  safeParse(input: unknown): SafeParseResult<Out>;
  check(...checks: Check<Out>[]): this;
}

// biome-ignore lint/suspicious/noExplicitAny: the widest schema, as zod's ZodType<any>.
export type AnySchema = Schema<any, any>;
/** A schema whose key an object may leave out (zod's optional-ness). */
export type OptionalSchema<Out> = Schema<Out | undefined> & { readonly optionalKey: true };

export type infer<S extends AnySchema> = S['_output'];

type Parse<Out> = (input: unknown, path: PropertyKey[], issues: Issue[]) => Out | Invalid;

/**
 * One object per schema, its methods on the prototype: every function builds its schemas at cold
 * start, and a class made them about 0.5 ms cheaper there than an object literal of closures
 * (issue 6; measured with bench/bundles.ts's cold load).
 */
class BuiltSchema<Out> {
  constructor(
    readonly def: Def,
    private readonly parse: Parse<Out>,
    readonly checks: readonly Check<Out>[],
  ) {}

  run(input: unknown, path: PropertyKey[], issues: Issue[]): Out | Invalid {
    const before = issues.length;
    const parsed = this.parse(input, path, issues);
    const value = parsed === INVALID ? input : parsed;
    let aborted = parsed === INVALID || fatalSince(issues, before);
    for (const check of this.checks) {
      if (check.when ? !check.when(value) : aborted) continue;
      const start = issues.length;
      check.run(value as Out, path, issues);
      aborted ||= fatalSince(issues, start);
    }
    // A value that only failed checks is still handed on, as zod does: a parent's refinement sees it.
    return parsed;
  }

  safeParse(input: unknown): SafeParseResult<Out> {
    const issues: Issue[] = [];
    const data = this.run(input, [], issues);
    return data === INVALID || issues.length > 0
      ? { success: false, error: { issues } }
      : { success: true, data };
  }

  check(...more: Check<Out>[]) {
    return new BuiltSchema(this.def, this.parse, [...this.checks, ...more]);
  }
}

function schema<Out, In = unknown>(def: Def, parse: Parse<Out>, checks: readonly Check<Out>[] = []) {
  return new BuiltSchema(def, parse, checks) as unknown as Schema<Out, In>;
}

export function safeParse<Out>(target: Schema<Out>, input: unknown): SafeParseResult<Out> {
  return target.safeParse(input);
}

function received(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number')
    return Number.isNaN(input) ? 'NaN' : Number.isFinite(input) ? 'number' : String(input); // "-Infinity", as zod says
  return typeof input;
}

function invalidType(expected: string, input: unknown, path: PropertyKey[], issues: Issue[]): Invalid {
  issues.push({
    code: 'invalid_type',
    path: [...path],
    message: `Invalid input: expected ${expected}, received ${received(input)}`,
  });
  return INVALID;
}

function typeOf<Out>(type: 'string' | 'boolean', expected: string) {
  return schema<Out>({ type }, (input, path, issues) =>
    typeof input === type ? (input as Out) : invalidType(expected, input, path, issues),
  );
}

export const string = () => typeOf<string>('string', 'string');
export const boolean = () => typeOf<boolean>('boolean', 'boolean');
export const unknown = () => schema<unknown>({ type: 'unknown' }, (input) => input);

function parseNumber(input: unknown, path: PropertyKey[], issues: Issue[]): number | Invalid {
  return typeof input === 'number' && Number.isFinite(input)
    ? input
    : invalidType('number', input, path, issues);
}

export const number = () => schema<number>({ type: 'number' }, parseNumber);

/** A whole number in Number's safe range: a schema (`z.int()`) or a check (`.check(z.int())`), as in zod. */
export const int = (): Schema<number> & Check<number> =>
  schema<number>({ type: 'int' }, parseNumber, [intCheck]);

/** `z.coerce.number()`: `Number(input)` first, as query strings and environment variables need. */
export const coerce = {
  number: () =>
    schema<number>({ type: 'number' }, (input, path, issues) => parseNumber(Number(input), path, issues)),
};

export function url() {
  return schema<string>({ type: 'url' }, (input, path, issues) => {
    if (typeof input !== 'string') return invalidType('string', input, path, issues);
    if (URL.canParse(input)) return input;
    issues.push({ code: 'invalid_format', path: [...path], message: 'Invalid URL' });
    return INVALID;
  });
}

const show = (value: unknown) => (typeof value === 'string' ? `"${value}"` : String(value));

export function literal<const T extends string | number | boolean>(value: T) {
  return schema<T>({ type: 'literal', value }, (input, path, issues) => {
    if (input === value) return value;
    issues.push({
      code: 'invalid_value',
      path: [...path],
      message: `Invalid input: expected ${show(value)}`,
    });
    return INVALID;
  });
}

function enumOf<const T extends readonly string[]>(values: T) {
  const allowed = new Set<unknown>(values);
  const message = `Invalid option: expected one of ${values.map(show).join('|')}`;
  return schema<T[number]>({ type: 'enum', values }, (input, path, issues) => {
    if (allowed.has(input)) return input as T[number];
    issues.push({ code: 'invalid_value', path: [...path], message });
    return INVALID;
  });
}

export { enumOf as enum };

type Shape = Readonly<Record<string, AnySchema>>;
type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends { readonly optionalKey: true } ? K : never;
}[keyof S];
type Flatten<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOutput<S extends Shape> = Flatten<
  { -readonly [K in Exclude<keyof S, OptionalKeys<S>>]: S[K]['_output'] } & {
    -readonly [K in OptionalKeys<S>]?: S[K]['_output'];
  }
>;

const isPlainObject = (input: unknown): input is Record<string, unknown> =>
  typeof input === 'object' && input !== null && !Array.isArray(input);

function objectOf<S extends Shape, Extra>(shape: S, unknownKeys: 'strip' | 'strict' | 'passthrough') {
  const keys = Object.keys(shape);
  return schema<ObjectOutput<S> & Extra>({ type: 'object', shape, unknownKeys }, (input, path, issues) => {
    if (!isPlainObject(input)) return invalidType('object', input, path, issues);
    const output: Record<string, unknown> = unknownKeys === 'passthrough' ? { ...input } : {};
    for (const key of keys) {
      const value = (shape[key] as AnySchema).run(input[key], [...path, key], issues);
      if (value === INVALID) continue;
      if (value !== undefined || key in input) output[key] = value;
    }
    if (unknownKeys === 'strict') {
      const unknownKeyNames = Object.keys(input).filter((key) => !Object.hasOwn(shape, key));
      if (unknownKeyNames.length > 0) {
        const names = unknownKeyNames.map(show).join(', ');
        const issue = {
          code: 'unrecognized_keys',
          path: [...path],
          message: `Unrecognized key${unknownKeyNames.length > 1 ? 's' : ''}: ${names}`,
        };
        continuable.add(issue);
        issues.push(issue);
      }
    }
    return output as ObjectOutput<S> & Extra;
  });
}

/** Unknown keys are dropped. */
export const object = <S extends Shape>(shape: S) => objectOf<S, unknown>(shape, 'strip');
/** Unknown keys are refused. */
export const strictObject = <S extends Shape>(shape: S) => objectOf<S, unknown>(shape, 'strict');
/** Unknown keys are kept. */
export const looseObject = <S extends Shape>(shape: S) =>
  objectOf<S, Record<string, unknown>>(shape, 'passthrough');

export function array<S extends AnySchema>(element: S) {
  return schema<S['_output'][]>({ type: 'array', element }, (input, path, issues) => {
    if (!Array.isArray(input)) return invalidType('array', input, path, issues);
    return input.map((item, index) => element.run(item, [...path, index], issues));
  });
}

export function record<K extends Schema<string>, V extends AnySchema>(key: K, value: V) {
  return schema<Record<K['_output'], V['_output']>>({ type: 'record', key, value }, (input, path, issues) => {
    if (!isPlainObject(input)) return invalidType('record', input, path, issues);
    const output: Record<string, unknown> = {};
    for (const name of Object.keys(input)) {
      const keyIssues: Issue[] = [];
      if (key.run(name, [...path, name], keyIssues) === INVALID || keyIssues.length > 0) {
        issues.push({ code: 'invalid_key', path: [...path, name], message: 'Invalid key in record' });
        continue;
      }
      const parsed = value.run(input[name], [...path, name], issues);
      if (parsed !== INVALID) output[name] = parsed;
    }
    return output as Record<K['_output'], V['_output']>;
  });
}

/** The first option that accepts the input wins; none does: one "Invalid input" at the union. */
export function union<const Options extends readonly AnySchema[]>(options: Options) {
  return schema<Options[number]['_output']>({ type: 'union', options }, (input, path, issues) => {
    for (const option of options) {
      const optionIssues: Issue[] = [];
      const value = option.run(input, path, optionIssues);
      if (value !== INVALID && optionIssues.length === 0) return value;
    }
    issues.push({ code: 'invalid_union', path: [...path], message: 'Invalid input' });
    return INVALID;
  });
}

/** zod's discriminated union reads the same as a union here: the options are few and small. */
export const discriminatedUnion = <const Options extends readonly AnySchema[]>(
  _key: string,
  options: Options,
) => union(options);

function wrap<Out>(
  type: 'optional' | 'nullable' | 'nullish',
  inner: AnySchema,
  passes: (input: unknown) => boolean,
) {
  return schema<Out>({ type, inner }, (input, path, issues) =>
    passes(input) ? (input as Out) : inner.run(input, path, issues),
  );
}

export const optional = <S extends AnySchema>(inner: S) =>
  wrap<S['_output'] | undefined>('optional', inner, (input) => input === undefined) as OptionalSchema<
    S['_output']
  >;
export const nullable = <S extends AnySchema>(inner: S) =>
  wrap<S['_output'] | null>('nullable', inner, (input) => input === null);
export const nullish = <S extends AnySchema>(inner: S) =>
  wrap<S['_output'] | null | undefined>('nullish', inner, (input) => input == null) as OptionalSchema<
    S['_output'] | null
  >;

/** An absent (undefined) input becomes `value`, which is not parsed again (as in zod 4). */
export function _default<S extends AnySchema>(inner: S, value: Exclude<S['_output'], undefined>) {
  return schema<Exclude<S['_output'], undefined>>({ type: 'default', inner, value }, (input, path, issues) =>
    input === undefined ? value : inner.run(input, path, issues),
  );
}

/** `then` parses what `first` returned, unless `first` found anything wrong but unknown keys. */
export function pipe<A, B>(first: Schema<A, never>, then: Schema<B, A>) {
  return schema<B>({ type: 'pipe', in: first as AnySchema, out: then }, (input, path, issues) => {
    const before = issues.length;
    const value = first.run(input, path, issues);
    // Any issue but an unknown key stops the pipe, so a failed check never feeds its transform.
    const failed = issues.some((issue, index) => index >= before && issue.code !== 'unrecognized_keys');
    return value === INVALID || failed ? INVALID : then.run(value, path, issues);
  });
}

export interface TransformContext {
  /** Issue paths are relative to the value being transformed. */
  readonly issues: {
    push(issue: { code: string; path?: PropertyKey[]; message: string; input?: unknown }): void;
  };
}

export function transform<In, Out>(fn: (value: In, context: TransformContext) => Out) {
  return schema<Out, In>({ type: 'transform' }, (input, path, issues) => {
    const context: TransformContext = {
      issues: {
        push: (issue) =>
          issues.push({ code: issue.code, path: [...path, ...(issue.path ?? [])], message: issue.message }),
      },
    };
    return fn(input as In, context);
  });
}

/** Any value for which `accepts` is true. */
export function custom<T>(accepts: (value: unknown) => boolean, message = 'Invalid input') {
  return schema<T>({ type: 'custom' }, (input, path, issues) => {
    if (accepts(input)) return input as T;
    issues.push({ code: 'custom', path: [...path], message });
    return INVALID;
  });
}

const hasLength = (value: unknown) => value != null && (value as { length?: unknown }).length !== undefined;

function check<T>(def: CheckDef, when: Check<T>['when'], run: Check<T>['run']): Check<T> {
  return { def, when, run };
}

function fail(issues: Issue[], path: PropertyKey[], code: string, message: string): void {
  const issue = { code, path: [...path], message };
  continuable.add(issue);
  issues.push(issue);
}

const intCheck = check<number>({ type: 'int' }, undefined, (value, path, issues) => {
  if (!Number.isInteger(value)) {
    issues.push({
      code: 'invalid_type',
      path: [...path],
      message: 'Invalid input: expected int, received number',
    });
  } else if (value > Number.MAX_SAFE_INTEGER) {
    fail(issues, path, 'too_big', `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`);
  } else if (value < Number.MIN_SAFE_INTEGER) {
    fail(issues, path, 'too_small', `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`);
  }
});

/**
 * How a length check names the value and its bound, as zod does: a string's characters, an array's
 * items, and for anything else that has a `length` (checks run on after a type issue) no unit.
 */
function lengthBound(value: { length: number }, relation: string, bound: number): string {
  if (typeof value === 'string') return `string to have ${relation}${bound} characters`;
  if (Array.isArray(value)) return `array to have ${relation}${bound} items`;
  return `unknown to be ${relation}${bound}`;
}

/**
 * A value's length as zod measures it: a string's in code points (a surrogate pair counts once, as
 * JSON Schema's `maxLength` counts), anything else's `length` as it is.
 */
function measuredLength(value: { length: unknown }): unknown {
  if (typeof value !== 'string' || !/[\uD800-\uDBFF]/.test(value)) return value.length;
  let count = value.length;
  for (let i = 0; i < value.length - 1; i += 1) {
    if (isSurrogatePair(value.charCodeAt(i), value.charCodeAt(i + 1))) {
      count -= 1;
      i += 1;
    }
  }
  return count;
}

const isSurrogatePair = (high: number, low: number) =>
  (high & 0xfc00) === 0xd800 && (low & 0xfc00) === 0xdc00;

// Each check passes only a length that compares as within its bound, as zod's do: a `length` that is
// not a number (`{ length: {} }`, after a type issue) fails both.
export function minLength(min: number, message?: string): Check<{ length: number }> {
  return check({ minLength: min, minItems: min }, hasLength, (value, path, issues) => {
    if (!((measuredLength(value) as number) >= min)) {
      fail(issues, path, 'too_small', message ?? `Too small: expected ${lengthBound(value, '>=', min)}`);
    }
  });
}

export function maxLength(max: number, message?: string): Check<{ length: number }> {
  return check({ maxLength: max, maxItems: max }, hasLength, (value, path, issues) => {
    if (!((measuredLength(value) as number) <= max)) {
      fail(issues, path, 'too_big', message ?? `Too big: expected ${lengthBound(value, '<=', max)}`);
    }
  });
}

export function minimum(min: number, message?: string): Check<number> {
  return check({ minimum: min }, undefined, (value, path, issues) => {
    if (value < min) fail(issues, path, 'too_small', message ?? `Too small: expected number to be >=${min}`);
  });
}

export function maximum(max: number, message?: string): Check<number> {
  return check({ maximum: max }, undefined, (value, path, issues) => {
    if (value > max) fail(issues, path, 'too_big', message ?? `Too big: expected number to be <=${max}`);
  });
}

export const positive = (): Check<number> =>
  check({ exclusiveMinimum: 0 }, undefined, (value, path, issues) => {
    if (!(value > 0)) fail(issues, path, 'too_small', 'Too small: expected number to be >0');
  });

export const nonnegative = (): Check<number> => minimum(0);

export function regex(pattern: RegExp, message?: string): Check<string> {
  return check({ pattern: pattern.source }, undefined, (value, path, issues) => {
    pattern.lastIndex = 0;
    if (!pattern.test(value)) {
      fail(
        issues,
        path,
        'invalid_format',
        message ?? `Invalid string: must match pattern ${String(pattern)}`,
      );
    }
  });
}

/** A check of the whole value, run only when everything inside it passed (as zod's refine). */
export function refine<T>(
  accepts: (value: T) => boolean,
  options: string | { readonly message: string; readonly path?: PropertyKey[] } = 'Invalid input',
): Check<T> {
  const { message, path: at = [] } = typeof options === 'string' ? { message: options } : options;
  return check<T>(undefined, undefined, (value, path, issues) => {
    if (!accepts(value)) fail(issues, [...path, ...at], 'custom', message);
  });
}
