/**
 * Local ECS emulator: a dev and test tool (never bundled into a Lambda) that speaks enough of the
 * ECS JSON 1.1 protocol for the real `@aws-sdk/client-ecs` to run tasks against it.
 */
export { DEFAULT_CLUSTER } from './clusters';
export type { CrashOptions, EcsClientConfig, EcsEmulator } from './emulator';
export { startEcsEmulator } from './emulator';
export {
  ContainerNotFoundError,
  EcsErrorType,
  EmulatorConfigError,
  InvalidFaultError,
  TaskNotFoundError,
  TaskNotRunningError,
} from './errors';
export type { EventDeliveryControls, EventDeliveryOptions, TaskStateChangeListener } from './events';
export { FlushOrder } from './events';
export type { FaultControls, FaultKind, FaultSpec, InjectedFault } from './faults';
export { EcsOperation, FARGATE_CAPACITY_REASON } from './faults';
export type { EcsEmulatorLogger } from './logger';
export type { EcsEmulatorOptions } from './options';
export { EnvVar } from './options';
export { DesiredStatus, StopCode, TaskStatus } from './task-model';
export type { TaskStateChangeDetail, TaskStateChangeEvent } from './task-state-event';
export type { AttachmentDetail, AttachmentView, ContainerView, TaskView } from './task-view';
