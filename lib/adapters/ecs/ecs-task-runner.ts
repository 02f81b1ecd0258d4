/**
 * The TaskRunner calls of the ECS adapter: RunTask, StopTask, DescribeTasks, one function each
 * (see ecs-calls.ts). ECS failures become RuntimeError: `CAPACITY_UNAVAILABLE` when RunTask places
 * nothing, `EXTERNAL_SERVICE_ERROR` for whatever the SDK could not get past with its retries.
 */
import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import type { LaunchedTask, RunTaskRequest, StopTaskRequest, TaskState } from '../../ports/container-runtime';
import * as z from '../../schema';
import type { EcsTarget } from './ecs-calls';
import { attempt, isUnknownTask, placementFailure, serviceFailure, unexpectedAnswer } from './ecs-failures';
import { runTaskInput, stopTaskInput } from './ecs-requests';
import { toTaskState } from './ecs-task-state';

const launchedTaskSchema = z.object({ taskArn: z.string(), lastStatus: z.string() });

/**
 * Starts one task. The clientToken comes from the container id and launch version, so calling
 * again for the same launch answers the task already started instead of starting a second one.
 */
export async function runTask(ecs: EcsTarget, request: RunTaskRequest): Promise<LaunchedTask> {
  const command = new RunTaskCommand(runTaskInput(request, ecs.config));
  const answer = await attempt('RunTask', () => ecs.client.send(command));
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

export async function stopTask(ecs: EcsTarget, request: StopTaskRequest): Promise<void> {
  try {
    await ecs.client.send(new StopTaskCommand(stopTaskInput(request, ecs.config.cluster)));
  } catch (error) {
    if (!isUnknownTask(error)) throw serviceFailure('StopTask', error);
  }
}

export async function describeTask(ecs: EcsTarget, taskArn: string): Promise<TaskState | undefined> {
  const answer = await attempt('DescribeTasks', () =>
    ecs.client.send(new DescribeTasksCommand({ cluster: ecs.config.cluster, tasks: [taskArn] })),
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
