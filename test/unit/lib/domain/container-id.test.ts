import { describe, expect, it } from 'vitest';
import { isContainerId, newContainerId } from '../../../../lib/domain/container-id';

describe('container ids', () => {
  it('are 24 lowercase hex characters: the creation second, then 8 random bytes', () => {
    const id = newContainerId(
      new Date('2026-11-22T10:30:00.999Z'),
      () => new Uint8Array([1, 2, 3, 4, 5, 6, 7, 255]),
    );

    expect(id).toBe(`${Math.floor(Date.parse('2026-11-22T10:30:00Z') / 1000).toString(16)}01020304050607ff`);
    expect(isContainerId(id)).toBe(true);
  });

  it('sort by creation time', () => {
    const earlier = newContainerId(new Date('2026-01-01T00:00:00Z'), () => new Uint8Array(8).fill(255));
    const later = newContainerId(new Date('2026-01-01T00:00:01Z'), () => new Uint8Array(8));

    expect(earlier < later).toBe(true);
  });

  it('are unique across many generations in the same second', () => {
    const now = new Date();
    const ids = new Set(Array.from({ length: 10_000 }, () => newContainerId(now)));

    expect(ids.size).toBe(10_000);
  });

  it.each([
    '6740C3F2A1B2C3D4E5F60718',
    '6740c3f2a1b2c3d4e5f6071',
    '6740c3f2a1b2c3d4e5f607189',
    '6740c3f2a1b2c3d4e5f6071g',
    '../../etc/passwd',
    '',
  ])('rejects %j', (candidate) => {
    expect(isContainerId(candidate)).toBe(false);
  });
});
