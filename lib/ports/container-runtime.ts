/**
 * What the use cases need from the thing that runs containers (ECS Fargate in AWS, the ECS
 * emulator locally). Implementations translate their service's failures into RuntimeError.
 */
export interface ContainerSpec {
  readonly containerId: string;
  readonly image: string;
  readonly cpuUnits: number;
  readonly memoryMb: number;
  readonly command?: readonly string[] | undefined;
  readonly environment?: Readonly<Record<string, string>> | undefined;
}

export interface RunTaskRequest {
  readonly containerId: string;
  readonly taskDefinitionArn: string;
  /**
   * Names the transition that asked for this task. Together with the container id it makes the
   * ECS clientToken, so a retried call never starts a second task, and it travels in the task's
   * `group` so that task events can be matched to the transition that started the task.
   */
  readonly launchVersion: number;
}

export interface LaunchedTask {
  readonly taskArn: string;
  readonly lastStatus: string;
}

export interface StopTaskRequest {
  readonly taskArn: string;
  /** Shown by ECS as the task's stoppedReason; names the operation. */
  readonly reason: string;
}

export interface TaskState {
  readonly taskArn: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  readonly stopCode?: string | undefined;
  readonly stoppedReason?: string | undefined;
  readonly exitCode?: number | undefined;
  readonly ipAddress?: string | undefined;
  readonly version?: number | undefined;
}

/** Runs and stops the containers' tasks, and asks after them. */
export interface TaskRunner {
  runTask(request: RunTaskRequest): Promise<LaunchedTask>;
  /** Stops a task; one that has already stopped or is unknown is not an error. */
  stopTask(request: StopTaskRequest): Promise<void>;
  /** The task's state, or undefined when the runtime no longer knows it (ECS: MISSING). */
  describeTask(taskArn: string): Promise<TaskState | undefined>;
}

/** The task definitions the tasks run from, one per container. */
export interface TaskDefinitions {
  /** Registers a task definition for one container; returns its ARN. */
  registerTaskDefinition(spec: ContainerSpec): Promise<string>;
  /** Releases a task definition; one that is already gone is not an error. */
  deregisterTaskDefinition(taskDefinitionArn: string): Promise<void>;
}

/**
 * Every runtime call. A use case asks for the few it makes (`Pick<ContainerRuntime, ...>`, see
 * RuntimeDependencies), so that its function is given, and bundles, no other.
 */
export type ContainerRuntime = TaskRunner & TaskDefinitions;

export const runtimeFailures = {
  /** The runtime could not place the task (ECS `failures[]`): nothing was started. */
  capacity: 'CAPACITY_UNAVAILABLE',
  /** The runtime failed or throttled past the client's retries. */
  service: 'EXTERNAL_SERVICE_ERROR',
} as const;

export type RuntimeFailure = (typeof runtimeFailures)[keyof typeof runtimeFailures];

/** A runtime call that failed; `kind` decides the contract error the caller sees. */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  constructor(
    readonly kind: RuntimeFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
