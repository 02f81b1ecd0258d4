import { describe, expect, it } from 'vitest';
import { isRunOver, jobOutcome, runIdFor, runOf, runTouchedBy, runVersion } from '../../../../lib/domain/job';
import { aContainer } from '../../../support/containers';

describe('jobOutcome', () => {
  it.each([
    { exitCode: 0, stopCode: 'EssentialContainerExited', to: 'succeeded' },
    // The reconciler's DescribeTasks may give no stop code: the exit code decides.
    { exitCode: 0, stopCode: undefined, to: 'succeeded' },
    { exitCode: 3, stopCode: 'EssentialContainerExited', to: 'failed' },
    { exitCode: 137, stopCode: 'EssentialContainerExited', to: 'failed' },
    { exitCode: undefined, stopCode: 'TaskFailedToStart', to: 'failed' },
    { exitCode: undefined, stopCode: 'EssentialContainerExited', to: 'failed' },
    // Stopped by something other than this API (the console, a Spot reclaim) with a clean SIGTERM exit.
    { exitCode: 0, stopCode: 'UserInitiated', to: 'failed' },
    { exitCode: 0, stopCode: 'SpotInterruption', to: 'failed' },
  ])(
    'a task stopped with exit code $exitCode and stop code $stopCode ends the job $to',
    ({ exitCode, stopCode, to }) => {
      expect(jobOutcome({ exitCode, stopCode })).toBe(to);
    },
  );
});

describe('runs', () => {
  it('names a run by the version of the transition that launched it, and back', () => {
    expect(runIdFor(12)).toBe('run_12');
    expect(runVersion('run_12')).toBe(12);
  });

  it('counts succeeded, failed, stopped and error as a run that is over, and running as not', () => {
    expect(['succeeded', 'failed', 'stopped', 'error'].every((status) => isRunOver(status as never))).toBe(
      true,
    );
    expect(isRunOver('running')).toBe(false);
    expect(isRunOver('starting')).toBe(false);
  });

  it('has no run record for a service or a job that never started', () => {
    expect(runOf(aContainer({ kind: 'service', runId: 'run_2' }))).toBeUndefined();
    expect(runOf(aContainer({ kind: 'job', runId: null }))).toBeUndefined();
  });

  it('records a finished run with its end time, exit code and reason', () => {
    const job = aContainer({
      kind: 'job',
      runId: 'run_2',
      status: 'failed',
      statusReason: 'the job failed: exit code 3',
      exitCode: 3,
      startedAt: '2026-11-22T10:30:00.000Z',
      lastTransitionAt: '2026-11-22T10:31:00.000Z',
    });

    expect(runOf(job)).toEqual({
      runId: 'run_2',
      containerId: job.id,
      ownerId: job.ownerId,
      taskArn: job.task?.arn,
      status: 'failed',
      startedAt: '2026-11-22T10:30:00.000Z',
      finishedAt: '2026-11-22T10:31:00.000Z',
      exitCode: 3,
      statusReason: 'the job failed: exit code 3',
    });
  });

  it('leaves the record of a run that is over alone when a later step (expiry) is not a new run', () => {
    const finished = aContainer({ kind: 'job', runId: 'run_2', status: 'succeeded', exitCode: 0 });
    const expired = { ...finished, status: 'expired' as const, version: finished.version + 1 };
    const restarted = { ...finished, status: 'starting' as const, runId: 'run_5', exitCode: null };

    expect(runTouchedBy(finished, expired)).toBeUndefined();
    expect(runTouchedBy(finished, restarted)).toMatchObject({
      runId: 'run_5',
      status: 'starting',
      finishedAt: null,
    });
  });
});
