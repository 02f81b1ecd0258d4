/**
 * The five ECS calls as one ContainerRuntime, for the callers that want them all: the whole
 * wiring view (lib/wiring.ts), tests and local tools. A function never imports it: it binds the
 * calls it makes (lib/wiring/ecs.ts), so that its bundle holds no other SDK command.
 */
import type { ECSClient } from '@aws-sdk/client-ecs';
import type {
  ContainerRuntime,
  ContainerSpec,
  LaunchedTask,
  RunTaskRequest,
  StopTaskRequest,
  TaskState,
} from '../../ports/container-runtime';
import { type EcsTarget, ecsTarget } from './ecs-calls';
import type { EcsRuntimeConfig } from './ecs-runtime-config';
import { deregisterTaskDefinition, registerTaskDefinition } from './ecs-task-definitions';
import { describeTask, runTask, stopTask } from './ecs-task-runner';

export { createEcsClient, type EcsClientOptions } from './ecs-client';
export type { EcsRuntimeConfig } from './ecs-runtime-config';

/** Runs each container as one ECS Fargate task of its own task definition. */
export class EcsContainerRuntime implements ContainerRuntime {
  private readonly ecs: EcsTarget;

  /** Throws at once when `config` cannot work (no subnet, empty cluster, bad family prefix). */
  constructor(client: ECSClient, config: EcsRuntimeConfig) {
    this.ecs = ecsTarget(client, config);
  }

  registerTaskDefinition(spec: ContainerSpec): Promise<string> {
    return registerTaskDefinition(this.ecs, spec);
  }

  deregisterTaskDefinition(taskDefinitionArn: string): Promise<void> {
    return deregisterTaskDefinition(this.ecs, taskDefinitionArn);
  }

  runTask(request: RunTaskRequest): Promise<LaunchedTask> {
    return runTask(this.ecs, request);
  }

  stopTask(request: StopTaskRequest): Promise<void> {
    return stopTask(this.ecs, request);
  }

  describeTask(taskArn: string): Promise<TaskState | undefined> {
    return describeTask(this.ecs, taskArn);
  }
}
