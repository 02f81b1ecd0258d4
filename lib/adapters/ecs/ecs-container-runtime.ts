import {
  DeregisterTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import type {
  ContainerRuntime,
  ContainerSpec,
  LaunchedTask,
  RunTaskRequest,
  StopTaskRequest,
  TaskState,
} from '../../ports/container-runtime';
import * as z from '../../schema';
import {
  isGoneTaskDefinition,
  isUnknownTask,
  placementFailure,
  serviceFailure,
  unexpectedAnswer,
} from './ecs-failures';
import { registerTaskDefinitionInput, runTaskInput, stopTaskInput } from './ecs-requests';
import { checkEcsRuntimeConfig, type EcsRuntimeConfig } from './ecs-runtime-config';
import { toTaskState } from './ecs-task-state';

export type { EcsRuntimeConfig } from './ecs-runtime-config';

const launchedTaskSchema = z.object({ taskArn: z.string(), lastStatus: z.string() });

/**
 * Runs each container as one ECS Fargate task of its own task definition. ECS failures become
 * RuntimeError: `CAPACITY_UNAVAILABLE` when RunTask places nothing, `EXTERNAL_SERVICE_ERROR` for
 * whatever the SDK could not get past with its retries.
 */
export class EcsContainerRuntime implements ContainerRuntime {
  /** Throws at once when `config` cannot work (no subnet, empty cluster, bad family prefix). */
  constructor(
    private readonly client: ECSClient,
    private readonly config: EcsRuntimeConfig,
  ) {
    checkEcsRuntimeConfig(config);
  }

  /** Registers family `<prefix>-<containerId>`: FARGATE, awsvpc, ARM64, one essential container `main`. */
  async registerTaskDefinition(spec: ContainerSpec): Promise<string> {
    const answer = await this.attempt('RegisterTaskDefinition', async () => {
      const input = registerTaskDefinitionInput(spec, this.config, await this.logRegion());
      return this.client.send(new RegisterTaskDefinitionCommand(input));
    });
    const arn = answer.taskDefinition?.taskDefinitionArn;
    if (arn === undefined) throw unexpectedAnswer('RegisterTaskDefinition', 'no task definition ARN');
    return arn;
  }

  async deregisterTaskDefinition(taskDefinitionArn: string): Promise<void> {
    try {
      await this.client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
    } catch (error) {
      if (!isGoneTaskDefinition(error)) throw serviceFailure('DeregisterTaskDefinition', error);
    }
  }

  /**
   * Starts one task. The clientToken comes from the container id and launch version, so calling
   * again for the same launch answers the task already started instead of starting a second one.
   */
  async runTask(request: RunTaskRequest): Promise<LaunchedTask> {
    const command = new RunTaskCommand(runTaskInput(request, this.config));
    const answer = await this.attempt('RunTask', () => this.client.send(command));
    const [task] = answer.tasks ?? [];
    if (task !== undefined) {
      const launched = launchedTaskSchema.safeParse(task);
      if (!launched.success) throw unexpectedAnswer('RunTask', 'a task without ARN or status');
      return launched.data;
    }
    const failures = answer.failures ?? [];
    if (failures.length > 0) throw placementFailure(failures);
    throw unexpectedAnswer('RunTask', 'neither a task nor a failure');
  }

  async stopTask(request: StopTaskRequest): Promise<void> {
    try {
      await this.client.send(new StopTaskCommand(stopTaskInput(request, this.config.cluster)));
    } catch (error) {
      if (!isUnknownTask(error)) throw serviceFailure('StopTask', error);
    }
  }

  async describeTask(taskArn: string): Promise<TaskState | undefined> {
    const answer = await this.attempt('DescribeTasks', () =>
      this.client.send(new DescribeTasksCommand({ cluster: this.config.cluster, tasks: [taskArn] })),
    );
    const [task] = answer.tasks ?? [];
    if (task !== undefined) {
      const state = toTaskState(task);
      if (state === undefined) throw unexpectedAnswer('DescribeTasks', 'a task without ARN or status');
      return state;
    }
    const reasons = (answer.failures ?? []).map((failure) => failure.reason);
    if (reasons.includes('MISSING')) return undefined;
    throw unexpectedAnswer('DescribeTasks', `no task, failures: ${reasons.join(', ') || 'none'}`);
  }

  private async attempt<Output>(operation: string, call: () => Promise<Output>): Promise<Output> {
    try {
      return await call();
    } catch (error) {
      throw serviceFailure(operation, error);
    }
  }

  /** Logs go to the region the tasks run in unless the config names another. */
  private async logRegion(): Promise<string | undefined> {
    if (this.config.logGroup === undefined) return undefined;
    return this.config.region ?? (await this.client.config.region());
  }
}

/** Options of {@link createEcsClient}. */
export interface EcsClientOptions {
  /**
   * Only for local use: the URL of the ECS emulator.
   * @default the regional ECS endpoint
   */
  readonly endpoint?: string | undefined;
  /** @default the SDK's region chain (AWS_REGION in Lambda) */
  readonly region?: string | undefined;
  /**
   * Attempts per call, the first one included; the SDK retries throttling, 5xx and network errors.
   * @default 3
   */
  readonly maxAttempts?: number | undefined;
  /**
   * Time one attempt may take before it fails with TimeoutError. Without it a hung connection would
   * hold the Lambda until its own timeout, past the API Gateway's 29 s.
   * @default 5000
   */
  readonly requestTimeoutMs?: number | undefined;
}

const defaultMaxAttempts = 3;
const defaultRequestTimeoutMs = 5000;

/** Builds the ECSClient; call it once at module scope and pass the client to {@link EcsContainerRuntime}. */
export function createEcsClient(options: EcsClientOptions = {}): ECSClient {
  return new ECSClient({
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.region === undefined ? {} : { region: options.region }),
    maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? defaultRequestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}
