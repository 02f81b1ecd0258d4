/** The mutable state the emulator keeps per task; rendered to the wire by task-view.ts. */

export const TaskStatus = {
  Provisioning: 'PROVISIONING',
  Pending: 'PENDING',
  Activating: 'ACTIVATING',
  Running: 'RUNNING',
  Deactivating: 'DEACTIVATING',
  Stopping: 'STOPPING',
  Deprovisioning: 'DEPROVISIONING',
  Stopped: 'STOPPED',
} as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

export const DesiredStatus = { Running: 'RUNNING', Stopped: 'STOPPED' } as const;
export type DesiredStatus = (typeof DesiredStatus)[keyof typeof DesiredStatus];

export const StopCode = {
  UserInitiated: 'UserInitiated',
  EssentialContainerExited: 'EssentialContainerExited',
  TaskFailedToStart: 'TaskFailedToStart',
} as const;
export type StopCode = (typeof StopCode)[keyof typeof StopCode];

export const ContainerStatus = { Pending: 'PENDING', Running: 'RUNNING', Stopped: 'STOPPED' } as const;
export type ContainerStatus = (typeof ContainerStatus)[keyof typeof ContainerStatus];

/** ENI attachment states, following what Fargate reports along a task's life. */
export const AttachmentStatus = {
  Precreated: 'PRECREATED',
  Attached: 'ATTACHED',
  Detaching: 'DETACHING',
  Deleted: 'DELETED',
} as const;
export type AttachmentStatus = (typeof AttachmentStatus)[keyof typeof AttachmentStatus];

export interface ContainerState {
  readonly containerArn: string;
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
  readonly cpu: number;
  readonly memory?: number;
  readonly runtimeId: string;
  lastStatus: ContainerStatus;
  exitCode?: number;
  reason?: string;
}

export interface NetworkInterfaceState {
  readonly attachmentId: string;
  readonly subnetId: string;
  readonly networkInterfaceId: string;
  readonly macAddress: string;
  readonly privateIPv4Address: string;
  readonly privateDnsName: string;
  status: AttachmentStatus;
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface TaskState {
  readonly taskArn: string;
  readonly taskId: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly family: string;
  readonly availabilityZone: string;
  readonly cpu: string;
  readonly memory: string;
  readonly group: string;
  readonly startedBy?: string;
  readonly capacityProviderName?: string;
  readonly enableExecuteCommand: boolean;
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly tags: readonly Tag[];
  readonly containers: ContainerState[];
  readonly networkInterface: NetworkInterfaceState;
  lastStatus: TaskStatus;
  desiredStatus: DesiredStatus;
  version: number;
  createdAt: number;
  updatedAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  connectivityAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: StopCode;
  stoppedReason?: string;
}
