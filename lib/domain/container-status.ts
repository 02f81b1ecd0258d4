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
