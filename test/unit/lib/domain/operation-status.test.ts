import { describe, expect, it } from 'vitest';
import type { StatusLog } from '../../../../lib/domain/container';
import { isOperationEntry, operationState } from '../../../../lib/domain/operation-status';
import { aContainer, aLog } from '../../../support/containers';

const at = (second: number) => new Date(Date.parse('2026-11-22T10:30:00.000Z') + second * 1000).toISOString();

/** The entry a request opened: `from -> to` at version 4, at second 0. */
const opened = (operation: string, from: StatusLog['fromStatus'], to: StatusLog['toStatus']) =>
  aLog({
    version: 4,
    operation,
    fromStatus: from,
    toStatus: to,
    transitionTime: at(0),
    reason: `${operation} requested`,
  });

/** The entry after it, at version 5, at second 2. */
const nextEntry = (entry: StatusLog, overrides: Partial<StatusLog>) =>
  aLog({
    containerId: entry.containerId,
    version: 5,
    fromStatus: entry.toStatus,
    toStatus: 'running',
    transitionTime: at(2),
    triggeredBy: 'ecs',
    operation: entry.operation,
    ...overrides,
  });

describe('operationState', () => {
  it('is pending while the container is still at the operation version', () => {
    // Prepare
    const start = opened('start', 'stopped', 'starting');

    // Act
    const state = operationState(start, undefined, aContainer({ status: 'starting', version: 4 }));

    // Assess
    expect(state).toMatchObject({
      status: 'pending',
      targetStatus: 'running',
      completedAt: null,
      reason: null,
    });
  });

  it.each([
    ['start', 'stopped', 'starting', 'running'],
    ['resume', 'paused', 'resuming', 'running'],
    ['restart', 'running', 'restarting', 'running'],
    ['stop', 'running', 'stopping', 'stopped'],
    ['pause', 'running', 'pausing', 'paused'],
    ['create', 'creating', 'starting', 'running'],
  ] as const)('has %s succeed when the next entry reaches %s', (operation, from, to, target) => {
    // Prepare
    const entry = opened(operation, from, to);

    // Act
    const state = operationState(entry, nextEntry(entry, { toStatus: target }), aContainer());

    // Assess
    expect(state).toMatchObject({
      status: 'succeeded',
      targetStatus: target,
      completedAt: at(2),
      reason: null,
    });
  });

  it('has a force-stop succeed at once: it goes straight to stopped', () => {
    // Act
    const state = operationState(opened('force-stop', 'running', 'stopped'), undefined, aContainer());

    // Assess
    expect(state).toMatchObject({ status: 'succeeded', completedAt: at(0) });
  });

  it('has a force-stop that was undone fail: its StopTask failed and the container was put back', () => {
    // Prepare
    const forceStop = opened('force-stop', 'running', 'stopped');
    const undo = nextEntry(forceStop, {
      toStatus: 'running',
      triggeredBy: 'user',
      reason: 'force-stop failed and was undone: ECS is down',
      metadata: { undone_transition_id: forceStop.id, error_code: 'EXTERNAL_SERVICE_ERROR' },
    });

    // Act
    const state = operationState(forceStop, undo, aContainer());

    // Assess
    expect(state).toMatchObject({
      status: 'failed',
      reason: 'force-stop failed and was undone: ECS is down',
    });
  });

  it('has a restart that was undone fail, though the undo goes back to running', () => {
    // Prepare
    const restart = opened('restart', 'running', 'restarting');
    const undo = nextEntry(restart, {
      triggeredBy: 'user',
      reason: 'restart failed and was undone: ECS is down',
      metadata: { undone_transition_id: restart.id, error_code: 'EXTERNAL_SERVICE_ERROR' },
    });

    // Act
    const state = operationState(restart, undo, aContainer());

    // Assess
    expect(state).toMatchObject({ status: 'failed', reason: 'restart failed and was undone: ECS is down' });
  });

  it('has a start fail with the reason when its task failed to start', () => {
    // Prepare
    const start = opened('start', 'stopped', 'starting');

    // Act
    const state = operationState(
      start,
      nextEntry(start, { toStatus: 'error', reason: 'the task failed to start: CannotPullContainerError' }),
      aContainer(),
    );

    // Assess
    expect(state).toMatchObject({
      status: 'failed',
      completedAt: at(2),
      reason: 'the task failed to start: CannotPullContainerError',
    });
  });

  it('has a start fail when a force-stop took over, and names it', () => {
    // Prepare
    const start = opened('start', 'stopped', 'starting');
    const forceStop = nextEntry(start, { toStatus: 'stopped', triggeredBy: 'user', operation: 'force-stop' });

    // Act
    const state = operationState(start, forceStop, aContainer());

    // Assess
    expect(state.status).toBe('failed');
    expect(state.reason).toBe(`superseded by force-stop (operation ${forceStop.id}) before it settled`);
  });

  it('has a stop succeed when a force-stop overtook it: the container is stopped as asked', () => {
    // Prepare
    const stop = opened('stop', 'running', 'stopping');
    const forceStop = nextEntry(stop, { toStatus: 'stopped', triggeredBy: 'user', operation: 'force-stop' });

    // Act
    const state = operationState(stop, forceStop, aContainer());

    // Assess
    expect(state.status).toBe('succeeded');
  });

  it('has an operation fail when its container was deleted before it settled', () => {
    // Act
    const state = operationState(opened('start', 'stopped', 'starting'), undefined, undefined);

    // Assess
    expect(state).toMatchObject({
      status: 'failed',
      completedAt: null,
      reason: expect.stringMatching(/deleted/),
    });
  });
});

describe('isOperationEntry', () => {
  it.each([
    ['a start', { operation: 'start', fromStatus: 'stopped', toStatus: 'starting' }],
    ['a stop of a paused container', { operation: 'stop', fromStatus: 'paused', toStatus: 'stopped' }],
    ['a create', { operation: 'create', fromStatus: 'creating', toStatus: 'starting' }],
    [
      'an auto-stop',
      { operation: 'stop', fromStatus: 'running', toStatus: 'stopping', triggeredBy: 'auto-stop' },
    ],
  ] as const)('is true for %s', (_, fields) => {
    expect(isOperationEntry(aLog(fields))).toBe(true);
  });

  it.each([
    [
      'what ECS reported',
      { operation: 'start', fromStatus: 'starting', toStatus: 'running', triggeredBy: 'ecs' },
    ],
    ['an undo', { operation: 'start', fromStatus: 'starting', toStatus: 'stopped' }],
    [
      "an undo whose step is in the table (a restart's)",
      {
        operation: 'restart',
        fromStatus: 'running',
        toStatus: 'restarting',
        metadata: { undone_transition_id: 'x' },
      },
    ],
    ["a create's first entry", { operation: 'create', fromStatus: null, toStatus: 'creating' }],
    [
      'a create whose task could not start',
      { operation: 'create', fromStatus: 'starting', toStatus: 'error' },
    ],
    ['an expiry', { operation: null, fromStatus: 'stopped', toStatus: 'expired', triggeredBy: 'reconciler' }],
  ] as const)('is false for %s', (_, fields) => {
    expect(isOperationEntry(aLog(fields))).toBe(false);
  });
});
