import * as sdk from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marshall, unmarshall } from '../../../../../lib/adapters/dynamodb/attribute-values';

/** What the table stores: strings, finite numbers, booleans, null, lists and maps, with gaps. */
const stored = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.double({ noNaN: true, min: -(2 ** 52), max: 2 ** 52 }).filter((n) => !Object.is(n, -0)),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('map'),
  ),
  map: fc.dictionary(fc.string({ maxLength: 6 }), fc.option(tie('value'), { nil: undefined }), {
    maxKeys: 5,
  }),
}));

describe('attribute values', () => {
  it('writes every stored shape as @aws-sdk/util-dynamodb does, leaving undefined out', () => {
    fc.assert(
      fc.property(stored.map, (value) => {
        expect(marshall(value)).toEqual(
          sdk.marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: true }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('reads back what it wrote, and what @aws-sdk/util-dynamodb reads', () => {
    fc.assert(
      fc.property(stored.map, (value) => {
        const item = marshall(value);
        expect(unmarshall(item)).toEqual(sdk.unmarshall(item));
        expect(unmarshall(item)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps `constructor` and `__proto__` keys as data', () => {
    const environment = JSON.parse('{"constructor":"a","__proto__":"b","toString":"c"}');
    const read = unmarshall(marshall({ environment }));
    expect(Object.keys(read.environment as object)).toEqual(['constructor', '__proto__', 'toString']);
    expect(Object.getPrototypeOf(read.environment)).toBe(Object.prototype);
  });

  it('refuses what the table never stores instead of writing something else', () => {
    expect(() => marshall({ n: Number.NaN })).toThrow(TypeError);
    expect(() => marshall({ n: 2 ** 53 + 2 })).toThrow(TypeError);
    expect(() => marshall({ d: new Date() })).toThrow(TypeError);
    expect(() => marshall({ s: new Set(['a']) })).toThrow(TypeError);
  });
});
