import { fingerprint } from './client-tokens';
import { clientError, EcsApiError, EcsErrorType, invalidParameterError } from './errors';
import { plannedExit } from './exit-plan';
import type { OperationContext, OperationHandler } from './operation-context';
import { describeTasksSchema, listTasksSchema, parseInput, runTaskSchema, stopTaskSchema } from './schemas';
import type { TaskDefinitionRecord } from './task-definitions';
import { checkRunnable, createTask } from './task-factory';
import { StopCode, type TaskState } from './task-model';
import { apiTaskView } from './task-view';

type TaskOperation = 'RunTask' | 'StopTask' | 'DescribeTasks' | 'ListTasks';

interface Failure {
  readonly arn?: string;
  readonly reason: string;
  readonly detail?: string;
}

export function taskOperations(context: OperationContext): Record<TaskOperation, OperationHandler> {
  return {
    RunTask: (input) => runTask(context, input),
    StopTask: (input) => stopTask(context, input),
    DescribeTasks: (input) => describeTasks(context, input),
    ListTasks: (input) => listTasks(context, input),
  };
}

function runTask(context: OperationContext, raw: unknown): unknown {
  const input = parseInput(runTaskSchema, raw);
  const cluster = context.clusters.resolve(input.cluster);
  const taskDefinition = runnableTaskDefinition(context, input.taskDefinition);
  checkRunnable(taskDefinition, input);
  const { clientToken } = input;
  const requestPrint = fingerprint({ ...(raw as object), clientToken: undefined, cluster: cluster.name });
  if (clientToken !== undefined) {
    const replayed = replay(context, clientToken, requestPrint);
    if (replayed !== undefined) return { tasks: replayed.map((task) => apiTaskView(task)), failures: [] };
  }
  const fault = context.faults.takeRunTaskFault();
  const count = input.count ?? 1;
  if (fault?.kind === 'placementFailure') {
    const failures: Failure[] = Array.from({ length: count }, () => ({ reason: fault.reason }));
    return { tasks: [], failures };
  }
  const tasks = Array.from({ length: count }, () =>
    createTask({ cluster, taskDefinition, input, arns: context.arns, ips: context.ips, now: context.now() }),
  );
  for (const task of tasks) {
    context.tasks.add(task);
    context.lifecycle.begin(
      task,
      fault?.kind === 'failToStart' ? fault.reason : undefined,
      plannedExit(taskDefinition, input),
    );
  }
  if (clientToken !== undefined) {
    context.tokens.remember(
      clientToken,
      requestPrint,
      tasks.map((task) => task.taskArn),
    );
  }
  return { tasks: tasks.map((task) => apiTaskView(task)), failures: [] };
}

function runnableTaskDefinition(context: OperationContext, reference: string): TaskDefinitionRecord {
  const taskDefinition = context.taskDefinitions.find(reference);
  if (taskDefinition === undefined) throw clientError('TaskDefinition not found.');
  if (taskDefinition.status !== 'ACTIVE') throw clientError('TaskDefinition is inactive');
  return taskDefinition;
}

/** The tasks of an earlier call with this token, or undefined when the call is new. */
function replay(context: OperationContext, token: string, requestPrint: string): TaskState[] | undefined {
  const check = context.tokens.check(token, requestPrint, (arn) => context.tasks.get(arn) !== undefined);
  if (check.kind === 'new') return undefined;
  if (check.kind === 'conflict') {
    throw new EcsApiError(
      EcsErrorType.ConflictException,
      'The RunTask request could not be processed due to conflicts. The provided clientToken is already in use with a different RunTask request.',
      400,
      { resourceIds: check.taskArns },
    );
  }
  return check.taskArns.flatMap((arn) => context.tasks.get(arn) ?? []);
}

function stopTask(context: OperationContext, raw: unknown): unknown {
  const input = parseInput(stopTaskSchema, raw);
  const cluster = context.clusters.resolve(input.cluster);
  const task = context.tasks.find(cluster.name, input.task);
  if (task === undefined) throw invalidParameterError('The referenced task was not found.');
  context.lifecycle.stop(task, {
    stopCode: StopCode.UserInitiated,
    stoppedReason: input.reason ?? 'Task stopped by user',
  });
  return { task: apiTaskView(task) };
}

function describeTasks(context: OperationContext, raw: unknown): unknown {
  const input = parseInput(describeTasksSchema, raw);
  const cluster = context.clusters.resolve(input.cluster);
  const includeTags = input.include?.includes('TAGS') ?? false;
  const tasks: unknown[] = [];
  const failures: Failure[] = [];
  for (const reference of input.tasks) {
    const task = context.tasks.find(cluster.name, reference);
    if (task === undefined) failures.push({ arn: reference, reason: 'MISSING' });
    else tasks.push(apiTaskView(task, includeTags));
  }
  return { tasks, failures };
}

function listTasks(context: OperationContext, raw: unknown): unknown {
  const input = parseInput(listTasksSchema, raw);
  const cluster = context.clusters.resolve(input.cluster);
  if (input.serviceName !== undefined) {
    throw new EcsApiError(EcsErrorType.ServiceNotFoundException, 'Service not found.');
  }
  // Fargate tasks run on no container instance, and no task is ever desired PENDING.
  const matching =
    input.containerInstance !== undefined || input.desiredStatus === 'PENDING'
      ? []
      : context.tasks.list({
          clusterName: cluster.name,
          desiredStatus: input.desiredStatus ?? 'RUNNING',
          ...(input.family === undefined ? {} : { family: input.family }),
          ...(input.startedBy === undefined ? {} : { startedBy: input.startedBy }),
          ...(input.launchType === undefined ? {} : { launchType: input.launchType }),
        });
  return page(
    matching.map((task) => task.taskArn),
    input.maxResults ?? 100,
    input.nextToken,
  );
}

function page(arns: readonly string[], size: number, nextToken: string | undefined): unknown {
  const start = nextToken === undefined ? 0 : decodeToken(nextToken);
  const end = start + size;
  return {
    taskArns: arns.slice(start, end),
    ...(end < arns.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {}),
  };
}

function decodeToken(token: string): number {
  const offset = Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0) throw invalidParameterError('Invalid nextToken.');
  return offset;
}
