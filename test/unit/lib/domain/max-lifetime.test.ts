import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Container } from '../../../../lib/domain/container';
import { containerStatuses } from '../../../../lib/domain/container-status';
import { autoStop, autoStopBlockers, autoStopDeadline, lifetimeEnd } from '../../../../lib/domain/idle';
import { aContainer } from '../../../support/containers';

const base = Date.parse('2026-11-23T12:00:00.000Z');
const at = (offsetSeconds: number) => new Date(base + offsetSeconds * 1000).toISOString();

/** A running container's policy and clocks, as offsets in seconds from `base`. */
const runningPolicy = fc.record({
  startedOffset: fc.integer({ min: -200_000, max: 0 }),
  lastUsedOffset: fc.integer({ min: -200_000, max: 0 }),
  idleTimeoutSeconds: fc.option(fc.integer({ min: 60, max: 604_800 }), { nil: null }),
  maxLifetimeSeconds: fc.option(fc.integer({ min: 300, max: 2_592_000 }), { nil: null }),
  snoozeOffset: fc.option(fc.integer({ min: -100_000, max: 100_000 }), { nil: null }),
});

type RunningPolicy = typeof runningPolicy extends fc.Arbitrary<infer T> ? T : never;

function runningContainer(policy: RunningPolicy): Container {
  return aContainer({
    status: 'running',
    startedAt: at(policy.startedOffset),
    lastUsedAt: at(policy.lastUsedOffset),
    idleTimeoutSeconds: policy.idleTimeoutSeconds,
    maxLifetimeSeconds: policy.maxLifetimeSeconds,
    snoozedUntil: policy.snoozeOffset === null ? null : at(policy.snoozeOffset),
  });
}

describe('the auto-stop deadline with a maximum lifetime', () => {
  it('is the earlier of the idle deadline (or the snooze, when later) and the lifetime end, for any policy', () => {
    fc.assert(
      fc.property(runningPolicy, (policy) => {
        // Prepare
        const container = runningContainer(policy);
        const idleMs =
          policy.idleTimeoutSeconds === null
            ? Number.POSITIVE_INFINITY
            : Math.max(
                base + (policy.lastUsedOffset + policy.idleTimeoutSeconds) * 1000,
                policy.snoozeOffset === null ? Number.NEGATIVE_INFINITY : base + policy.snoozeOffset * 1000,
              );
        const lifetimeMs =
          policy.maxLifetimeSeconds === null
            ? Number.POSITIVE_INFINITY
            : base + (policy.startedOffset + policy.maxLifetimeSeconds) * 1000;
        const expected = Math.min(idleMs, lifetimeMs);

        // Act
        const deadline = autoStopDeadline(container);

        // Assess
        expect(deadline).toBe(Number.isFinite(expected) ? new Date(expected).toISOString() : undefined);
      }),
    );
  });

  it('never passes the lifetime end, whatever the use or the snooze', () => {
    fc.assert(
      fc.property(runningPolicy, fc.integer({ min: 300, max: 2_592_000 }), (policy, maxLifetimeSeconds) => {
        // Prepare
        const container = runningContainer({ ...policy, maxLifetimeSeconds });

        // Act
        const stop = autoStop(container);

        // Assess
        const end = lifetimeEnd(container);
        expect(end).toBe(at(policy.startedOffset + maxLifetimeSeconds));
        expect(stop).toBeDefined();
        expect(Date.parse(stop?.at ?? '')).toBeLessThanOrEqual(Date.parse(end ?? ''));
        expect(stop?.cause === 'max lifetime').toBe(stop?.at === end);
      }),
    );
  });

  it('names what sets the deadline: the idle timeout, the snooze, or the maximum lifetime', () => {
    // Prepare
    const policy = { startedOffset: -3600, lastUsedOffset: 0, maxLifetimeSeconds: 7200 } as const;
    const idle = runningContainer({ ...policy, idleTimeoutSeconds: 600, snoozeOffset: null });
    const snoozed = runningContainer({ ...policy, idleTimeoutSeconds: 600, snoozeOffset: 1800 });
    const capped = runningContainer({ ...policy, idleTimeoutSeconds: 600, snoozeOffset: 86_400 });
    const lifetimeOnly = runningContainer({ ...policy, idleTimeoutSeconds: null, snoozeOffset: null });

    // Act / Assess
    expect(autoStop(idle)).toEqual({ at: at(600), cause: 'idle timeout' });
    expect(autoStop(snoozed)).toEqual({ at: at(1800), cause: 'snooze' });
    expect(autoStop(capped)).toEqual({ at: at(3600), cause: 'max lifetime' });
    expect(autoStop(lifetimeOnly)).toEqual({ at: at(3600), cause: 'max lifetime' });
    expect(autoStopBlockers(lifetimeOnly)).toEqual([]);
  });

  it('has no deadline for a container that is not running, whatever its policy', () => {
    fc.assert(
      fc.property(
        runningPolicy,
        fc.constantFrom(...containerStatuses.filter((status) => status !== 'running')),
        (policy, status) => {
          const container = { ...runningContainer(policy), status };

          expect(autoStopDeadline(container)).toBeUndefined();
        },
      ),
    );
  });

  it('counts the lifetime of a container written before run starts were recorded from its last transition', () => {
    // Prepare
    const container = aContainer({
      status: 'running',
      startedAt: null,
      lastTransitionAt: at(-100),
      maxLifetimeSeconds: 300,
    });

    // Act / Assess
    expect(lifetimeEnd(container)).toBe(at(200));
  });

  it('shows the lifetime end while a run is starting, and none once it is stopped or paused', () => {
    const policy = { startedAt: at(0), maxLifetimeSeconds: 300 };

    expect(lifetimeEnd(aContainer({ ...policy, status: 'starting' }))).toBe(at(300));
    expect(lifetimeEnd(aContainer({ ...policy, status: 'restarting' }))).toBe(at(300));
    expect(lifetimeEnd(aContainer({ ...policy, status: 'stopped' }))).toBeUndefined();
    expect(lifetimeEnd(aContainer({ ...policy, status: 'paused' }))).toBeUndefined();
    expect(lifetimeEnd(aContainer({ ...policy, maxLifetimeSeconds: null }))).toBeUndefined();
  });
});
