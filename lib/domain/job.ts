import type { Container, JobRun } from './container';
import type { ContainerStatus } from './container-status';

/**
 * A run is named by the version of the transition that began it (a create that starts, or a
 * start), which is also its task's launch version (`group` = `container:<id>:<version>` in ECS):
 * unique within its job, ordered by time, and never reused.
 */
export function runIdFor(launchVersion: number): string {
  return `run_${launchVersion}`;
}

export const runIdPattern = /^run_[1-9][0-9]{0,9}$/;

/** The launch version a run id names. */
export function runVersion(runId: string): number {
  return Number(runId.slice('run_'.length));
}

/** Statuses in which a job's current run is over. */
const runEnds: readonly ContainerStatus[] = ['succeeded', 'failed', 'stopped', 'error', 'expired'];

export function isRunOver(status: ContainerStatus): boolean {
  return runEnds.includes(status);
}

/** How a job's task ended, as ECS reports it. */
export interface JobExit {
  readonly exitCode: number | undefined;
  readonly stopCode: string | undefined;
}

/**
 * Where a job goes when its task stops without being asked to: `succeeded` when its essential
 * container exited 0 by itself (ECS: EssentialContainerExited; the reconciler may not know the
 * stop code), `failed` otherwise: a non-zero exit, a task that failed to start, or a task
 * stopped by anything but this API (a stop through the API leads to `stopped`).
 */
export function jobOutcome(exit: JobExit): 'succeeded' | 'failed' {
  const exitedByItself = exit.stopCode === undefined || exit.stopCode === 'EssentialContainerExited';
  return exit.exitCode === 0 && exitedByItself ? 'succeeded' : 'failed';
}

/** The record of the container's current run as it stands; undefined for a service or an unstarted job. */
export function runOf(container: Container): JobRun | undefined {
  if (container.kind !== 'job' || container.runId === null) return undefined;
  const over = isRunOver(container.status);
  return {
    runId: container.runId,
    containerId: container.id,
    ownerId: container.ownerId,
    taskArn: container.task?.arn ?? null,
    status: container.status,
    startedAt: container.startedAt ?? container.lastTransitionAt,
    finishedAt: over ? container.lastTransitionAt : null,
    exitCode: container.exitCode,
    statusReason: over ? container.statusReason : null,
  };
}

/**
 * The run record a step of a job's history writes: the run it begins, or the run it moves on
 * while that run is not over yet. A step after the run ended (expiry, a force-stop of an `error`)
 * leaves the record as the run ended.
 */
export function runTouchedBy(before: Container, after: Container): JobRun | undefined {
  const run = runOf(after);
  if (!run) return undefined;
  const begins = before.runId !== after.runId;
  return begins || !isRunOver(before.status) ? run : undefined;
}
