import { describe, expect, it } from 'vitest';
import { autoStopBlockers, autoStopDeadline } from '../../../../lib/domain/idle';
import { aContainer } from '../../../support/containers';

const lastUsedAt = '2026-11-23T12:00:00.000Z';
const idleDeadline = '2026-11-23T12:30:00.000Z';

describe('autoStopDeadline', () => {
  it('is last use plus the idle timeout when not snoozed', () => {
    // Prepare
    const container = aContainer({ lastUsedAt, idleTimeoutSeconds: 1800, snoozedUntil: null });

    // Act / Assess
    expect(autoStopDeadline(container)).toBe(idleDeadline);
  });

  it("is the snooze's end when that is later than the idle deadline", () => {
    // Prepare
    const container = aContainer({
      lastUsedAt,
      idleTimeoutSeconds: 1800,
      snoozedUntil: '2026-11-23T14:00:00.000Z',
    });

    // Act / Assess
    expect(autoStopDeadline(container)).toBe('2026-11-23T14:00:00.000Z');
  });

  it('keeps the idle deadline when the snooze ends before it', () => {
    // Prepare
    const container = aContainer({
      lastUsedAt,
      idleTimeoutSeconds: 1800,
      snoozedUntil: '2026-11-23T12:10:00.000Z',
    });

    // Act / Assess
    expect(autoStopDeadline(container)).toBe(idleDeadline);
  });

  it('is undefined, snooze or not, when the container is not running or has no idle timeout', () => {
    // Prepare
    const snoozedUntil = '2026-11-23T14:00:00.000Z';
    const paused = aContainer({ lastUsedAt, status: 'paused', snoozedUntil });
    const noTimeout = aContainer({ lastUsedAt, idleTimeoutSeconds: null, snoozedUntil });

    // Act / Assess
    expect(autoStopDeadline(paused)).toBeUndefined();
    expect(autoStopDeadline(noTimeout)).toBeUndefined();
    expect(autoStopBlockers(paused)).toEqual(['not running']);
    expect(autoStopBlockers(noTimeout)).toEqual(['no idle timeout']);
    expect(autoStopBlockers(aContainer())).toEqual([]);
  });
});
