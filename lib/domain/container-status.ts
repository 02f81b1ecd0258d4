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
