import { describe, expect, it } from 'vitest';
import { locateTransition, newTransitionId } from '../../../../lib/domain/transition-id';

const containerId = '6740c3f2a1b2c3d4e5f60718';

describe('transition ids', () => {
  it('name the container, the version and 4 random bytes', () => {
    // Act
    const id = newTransitionId(containerId, 7, () => new Uint8Array([0, 1, 0xab, 0xff]));

    // Assess
    expect(id).toBe(`${containerId}-7-0001abff`);
  });

  it('locate the entry they name: its container and version', () => {
    // Prepare
    const id = newTransitionId(containerId, 1234);

    // Act
    const location = locateTransition(id);

    // Assess
    expect(location).toEqual({ containerId, version: 1234 });
  });

  it('differ for two writers racing for the same version', () => {
    // Act
    const ids = new Set(Array.from({ length: 1000 }, () => newTransitionId(containerId, 3)));

    // Assess
    expect(ids.size).toBe(1000);
  });

  it.each([
    '',
    containerId,
    `${containerId}-0-0001abff`,
    `${containerId}-07-0001abff`,
    `${containerId}-7-0001ABFF`,
    `${containerId}-7-0001abf`,
    `${containerId}-12345678901-0001abff`,
    `${containerId.toUpperCase()}-7-0001abff`,
    '1c2f6e1e-6a4b-4c59-9d4c-1e7b9c0a5d11',
  ])('locate nothing for %j', (candidate) => {
    expect(locateTransition(candidate)).toBeUndefined();
  });
});
