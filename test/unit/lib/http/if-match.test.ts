import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lib/domain/errors';
import { ifMatchVersion } from '../../../../lib/http/if-match';

describe('ifMatchVersion', () => {
  it.each([
    ['"7"', 7],
    ['W/"7"', 7],
    ['7', 7],
    [' "12" ', 12],
  ])('reads %j as version %i', (header, version) => {
    expect(ifMatchVersion({ 'if-match': header })).toBe(version);
  });

  it.each([
    ['no header', {}],
    ['*', { 'if-match': '*' }],
  ])('accepts any version for %s', (_, headers) => {
    expect(ifMatchVersion(headers)).toBeUndefined();
  });

  it.each(['', '"7', '"0"', '"-1"', '"7", "8"', 'W/7x', '"abc"', '"1e3"', `"${'9'.repeat(16)}"`])(
    'refuses %j as a validation error on headers.if-match',
    (header) => {
      expect(() => ifMatchVersion({ 'if-match': header })).toThrow(ValidationError);
      try {
        ifMatchVersion({ 'if-match': header });
      } catch (error) {
        expect((error as ValidationError).details).toEqual([
          expect.objectContaining({ field: 'headers.if-match' }),
        ]);
      }
    },
  );
});
