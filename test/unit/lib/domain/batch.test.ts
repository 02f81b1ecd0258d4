import { describe, expect, it } from 'vitest';
import { matchesSelector, planBatchItem, skipReason } from '../../../../lib/domain/batch';
import { containerStatuses } from '../../../../lib/domain/container-status';
import { DomainError } from '../../../../lib/domain/errors';
import { allowedOperations, operations } from '../../../../lib/domain/operations';
import { aContainer } from '../../../support/containers';

const now = new Date('2026-11-22T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();

describe('matchesSelector', () => {
  it('picks a container only when every criterion given holds', () => {
    // Prepare
    const container = aContainer({ status: 'running', projectId: 'alpha', lastUsedAt: minutesAgo(10) });

    // Act
    const verdicts = [
      matchesSelector(container, { status: 'running' }, now),
      matchesSelector(container, { status: 'running', projectId: 'alpha', idleSecondsGt: 599 }, now),
      matchesSelector(container, { status: 'stopped', projectId: 'alpha' }, now),
      matchesSelector(container, { status: 'running', projectId: 'beta' }, now),
      matchesSelector(container, { projectId: 'alpha', idleSecondsGt: 600 }, now),
    ];

    // Assess
    expect(verdicts).toEqual([true, true, false, false, false]);
  });

  it('counts idleness from last_used_at whatever the status, strictly greater than the seconds given', () => {
    // Prepare
    const stopped = aContainer({ status: 'stopped', lastUsedAt: minutesAgo(60) });

    // Act
    const justOver = matchesSelector(stopped, { idleSecondsGt: 3599 }, now);
    const exactly = matchesSelector(stopped, { idleSecondsGt: 3600 }, now);

    // Assess
    expect([justOver, exactly]).toEqual([true, false]);
  });
});

describe('planBatchItem', () => {
  it.each(containerStatuses.flatMap((status) => operations.map((operation) => ({ status, operation }))))(
    'decides $operation from $status as a single request would: applies exactly when the table allows it',
    ({ status, operation }) => {
      // Act
      const plan = planBatchItem(status, operation);

      // Assess
      expect(plan.applies).toBe(allowedOperations(status).includes(operation));
    },
  );

  it('names where an applicable operation goes, and the refusal of one that does not apply', () => {
    // Act
    const stopPaused = planBatchItem('paused', 'stop');
    const pauseStopped = planBatchItem('stopped', 'pause');
    const startExpired = planBatchItem('expired', 'start');

    // Assess
    expect(stopPaused).toEqual({ applies: true, to: 'stopped' });
    expect(pauseStopped).toEqual({
      applies: false,
      reason: { code: 'OPERATION_STATE_CONFLICT', message: 'Cannot pause a container that is stopped' },
    });
    expect(startExpired).toMatchObject({
      applies: false,
      reason: { code: 'OPERATION_NOT_PERMITTED_ON_EXPIRED' },
    });
  });

  it('lets delete apply to every status but expired, with no status to go to', () => {
    // Act
    const plans = containerStatuses.map((status) => [status, planBatchItem(status, 'delete').applies]);

    // Assess
    expect(plans).toEqual(containerStatuses.map((status) => [status, status !== 'expired']));
    expect(planBatchItem('running', 'delete')).toEqual({ applies: true, to: null });
  });
});

describe('skipReason', () => {
  it('treats only the state machine refusals as skips, and every other error as a failure', () => {
    // Act
    const reasons = [
      skipReason(new DomainError('OPERATION_STATE_CONFLICT', 'Cannot stop a container that is stopped')),
      skipReason(new DomainError('OPERATION_NOT_PERMITTED_ON_EXPIRED', 'expired')),
      skipReason(new DomainError('EXTERNAL_SERVICE_ERROR', 'ECS failed')),
      skipReason(new Error('boom')),
    ];

    // Assess
    expect(reasons).toEqual([
      { code: 'OPERATION_STATE_CONFLICT', message: 'Cannot stop a container that is stopped' },
      { code: 'OPERATION_NOT_PERMITTED_ON_EXPIRED', message: 'expired' },
      undefined,
      undefined,
    ]);
  });
});
