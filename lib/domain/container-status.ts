import type { Container } from './container';

/** Every status a container can be in, as the contract names them. */
export const containerStatuses = [
  'creating',
  'starting',
  'running',
  'pausing',
  'paused',
  'resuming',
  'restarting',
  'stopping',
  'stopped',
  // A job's run ended by itself: its essential container exited 0, or did not (or never started).
  'succeeded',
  'failed',
  'error',
  'expired',
] as const;

export type ContainerStatus = (typeof containerStatuses)[number];

/** Statuses that end when ECS reports the task RUNNING or STOPPED. */
export const transitionalStatuses = [
  'creating',
  'starting',
  'pausing',
  'resuming',
  'restarting',
  'stopping',
] as const satisfies readonly ContainerStatus[];

export type TransitionalStatus = (typeof transitionalStatuses)[number];

export function isTransitional(status: ContainerStatus): status is TransitionalStatus {
  return (transitionalStatuses as readonly ContainerStatus[]).includes(status);
}

/**
 * Whether the container stays in its status until someone acts: not transitional, and not a
 * running job, which goes on to `succeeded` or `failed` by itself. A wait for another status
 * ends once the container is at rest: it would not get there by itself.
 */
export function isAtRest(container: Pick<Container, 'kind' | 'status'>): boolean {
  if (isTransitional(container.status)) return false;
  return !(container.kind === 'job' && container.status === 'running');
}

/**
 * Statuses at rest after a run: nothing runs and nothing is on its way. A container in one of
 * them for longer than the retention expires.
 */
export const finishedStatuses = [
  'stopped',
  'succeeded',
  'failed',
] as const satisfies readonly ContainerStatus[];

export function isFinished(status: ContainerStatus): boolean {
  return (finishedStatuses as readonly ContainerStatus[]).includes(status);
}
