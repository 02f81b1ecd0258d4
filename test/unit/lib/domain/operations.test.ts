import { describe, expect, it } from 'vitest';
import { type ContainerStatus, containerStatuses } from '../../../../lib/domain/container-status';
import { DomainError } from '../../../../lib/domain/errors';
import {
  allowedOperations,
  type Operation,
  operations,
  planOperation,
} from '../../../../lib/domain/operations';

// The contract's operations table, written out status by status (../shared/API.md).
const contract: Record<ContainerStatus, Partial<Record<Operation, [ContainerStatus, string]>>> = {
  creating: { 'force-stop': ['stopped', 'stop-task-if-any'] },
  starting: { stop: ['stopping', 'stop-task'], 'force-stop': ['stopped', 'stop-task-if-any'] },
  running: {
    stop: ['stopping', 'stop-task'],
    'force-stop': ['stopped', 'stop-task-if-any'],
    restart: ['restarting', 'stop-task'],
    pause: ['pausing', 'stop-task'],
  },
  pausing: { 'force-stop': ['stopped', 'stop-task-if-any'] },
  paused: {
    stop: ['stopped', 'none'],
    'force-stop': ['stopped', 'stop-task-if-any'],
    resume: ['resuming', 'run-task'],
  },
  resuming: { stop: ['stopping', 'stop-task'], 'force-stop': ['stopped', 'stop-task-if-any'] },
  restarting: { stop: ['stopping', 'stop-task'], 'force-stop': ['stopped', 'stop-task-if-any'] },
  stopping: { 'force-stop': ['stopped', 'stop-task-if-any'] },
  stopped: { start: ['starting', 'run-task'] },
  // A job's finished run: a start begins the next run; delete is not an operation of the table.
  succeeded: { start: ['starting', 'run-task'] },
  failed: { start: ['starting', 'run-task'] },
  error: { start: ['starting', 'run-task'], 'force-stop': ['stopped', 'stop-task-if-any'] },
  expired: {},
};

const cases = containerStatuses.flatMap((status) => operations.map((operation) => ({ status, operation })));

describe('planOperation', () => {
  it.each(cases.filter(({ status, operation }) => contract[status][operation]))(
    'accepts $operation from $status as the contract table says',
    ({ status, operation }) => {
      const [to, runtimeCall] = contract[status][operation] ?? [];

      expect(planOperation(status, operation)).toEqual({ operation, from: status, to, runtimeCall });
    },
  );

  it.each(cases.filter(({ status, operation }) => status !== 'expired' && !contract[status][operation]))(
    'refuses $operation from $status with OPERATION_STATE_CONFLICT naming the allowed operations',
    ({ status, operation }) => {
      const refusal = catchError(() => planOperation(status, operation));

      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({ code: 'OPERATION_STATE_CONFLICT', details: { status, operation } });
      const allowed = (refusal as DomainError & { details: { allowed_operations: string[] } }).details
        .allowed_operations;
      expect([...allowed].sort()).toEqual(Object.keys(contract[status]).sort());
    },
  );

  it.each(operations)(
    'refuses %s on an expired container with OPERATION_NOT_PERMITTED_ON_EXPIRED',
    (operation) => {
      expect(catchError(() => planOperation('expired', operation))).toMatchObject({
        code: 'OPERATION_NOT_PERMITTED_ON_EXPIRED',
      });
    },
  );
});

describe('allowedOperations', () => {
  it.each(containerStatuses)('lists exactly what the contract allows from %s', (status) => {
    expect([...allowedOperations(status)].sort()).toEqual(Object.keys(contract[status]).sort());
  });
});

describe('the operations table for jobs', () => {
  const servicesOnly: readonly Operation[] = ['restart', 'pause', 'resume'];
  const jobCases = cases.filter(
    ({ status, operation }) => status !== 'expired' && contract[status][operation],
  );

  it.each(jobCases.filter(({ operation }) => !servicesOnly.includes(operation)))(
    'accepts $operation from $status for a job as for a service',
    ({ status, operation }) => {
      expect(planOperation(status, operation, 'job')).toEqual(planOperation(status, operation));
    },
  );

  it.each(jobCases.filter(({ operation }) => servicesOnly.includes(operation)))(
    'refuses $operation from $status for a job, which runs to completion, with OPERATION_STATE_CONFLICT',
    ({ status, operation }) => {
      const refusal = catchError(() => planOperation(status, operation, 'job'));

      expect(refusal).toMatchObject({
        code: 'OPERATION_STATE_CONFLICT',
        message: `Cannot ${operation} a job that is ${status}`,
        details: { status, operation, kind: 'job' },
      });
    },
  );

  it('lets a job in succeeded or failed start a new run and nothing else', () => {
    expect(allowedOperations('succeeded', 'job')).toEqual(['start']);
    expect(allowedOperations('failed', 'job')).toEqual(['start']);
    expect(allowedOperations('running', 'job')).toEqual(['stop', 'force-stop']);
  });
});

function catchError(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
