/**
 * What "consistent" means after load or faults, checked from outside: each container's history is
 * a valid, gap-free path ending in its status, its status agrees with what ECS says about its task,
 * and ECS runs no task that no container owns.
 */
import { DescribeTasksCommand, ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { reconcileContainers } from '../../lib/use-cases/reconcile-containers';
import { wiringOnce } from '../../lib/wiring';
import { historyProblems } from '../support/history';
import type { LocalStack } from '../support/local-stack';

/** An admin sees every owner's containers, so one caller can check them all. */
export const adminCaller = { as: 'auditor', scope: 'containers:admin' } as const;

const settledStatuses = new Set(['running', 'stopped', 'paused', 'error', 'expired']);

export interface ContainerState {
  readonly id: string;
  readonly status: string;
  readonly version: number;
  readonly taskArn: string | null;
}

export async function readState(stack: LocalStack, id: string): Promise<ContainerState> {
  const response = await stack.api('GET', `/v1/containers/${id}/status`, adminCaller);
  if (response.status !== 200) throw new Error(`status of ${id}: ${response.status}`);
  const data = response.body.data;
  return { id, status: data.status, version: data.version, taskArn: data.task?.arn ?? null };
}

/**
 * Waits until every container is in a settled status and no version moved for `quietMs`; false
 * when the time ran out first (a reconciler pass is then due).
 */
export async function settle(
  stack: LocalStack,
  ids: readonly string[],
  { timeoutMs = 15_000, quietMs = 500 } = {},
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await stack.bus.drain();
    const states = await Promise.all(ids.map((id) => readState(stack, id)));
    const signature = states.map((state) => `${state.status}@${state.version}`).join(',');
    if (signature !== last) {
      last = signature;
      quietSince = Date.now();
    }
    if (states.every((state) => settledStatuses.has(state.status)) && Date.now() - quietSince >= quietMs) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/**
 * One reconciler pass, run as if the settle limit had passed for everything (its clock is ten
 * minutes ahead), then the events it caused are delivered.
 */
export async function reconcileOnce(stack: LocalStack) {
  const { deps } = wiringOnce();
  const aheadMs = 10 * 60_000;
  const ahead = { now: () => new Date(Date.now() + aheadMs) };
  // stopBy is read on the same clock as the rest of the pass: the shifted one.
  const summary = await reconcileContainers(
    { ...deps, clock: ahead },
    { stopBy: new Date(Date.now() + aheadMs + 20_000) },
  );
  await stack.bus.drain();
  return summary;
}

/** Every task ECS knows in the cluster, described. */
export async function ecsTasks(stack: LocalStack): Promise<Task[]> {
  const ecs = new ECSClient(stack.ecs.clientConfig);
  try {
    const arns: string[] = [];
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
      let nextToken: string | undefined;
      do {
        const page = await ecs.send(new ListTasksCommand({ cluster: 'default', desiredStatus, nextToken }));
        arns.push(...(page.taskArns ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
    }
    const tasks: Task[] = [];
    for (let index = 0; index < arns.length; index += 100) {
      const described = await ecs.send(
        new DescribeTasksCommand({ cluster: 'default', tasks: arns.slice(index, index + 100) }),
      );
      tasks.push(...(described.tasks ?? []));
    }
    return tasks;
  } finally {
    ecs.destroy();
  }
}

/** The problems with the containers `ids` and the cluster's tasks; empty when all is consistent. */
export async function consistencyProblems(stack: LocalStack, ids: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const states = await Promise.all(ids.map((id) => readState(stack, id)));
  const tasks = await ecsTasks(stack);
  const byArn = new Map(tasks.map((task) => [task.taskArn, task]));
  for (const state of states) {
    const logs = await stack.api(
      'GET',
      `/v1/containers/${state.id}/status-logs?sort_by=created_at&sort_order=asc&limit=100`,
      adminCaller,
    );
    const entries = logs.body.data.status_logs;
    for (const problem of historyProblems(entries)) problems.push(`${state.id}: ${problem}`);
    if (entries.length !== state.version) {
      problems.push(`${state.id}: ${entries.length} log entries for version ${state.version}`);
    }
    if (entries.at(-1)?.to_status !== state.status) {
      problems.push(`${state.id}: history ends at ${entries.at(-1)?.to_status}, status is ${state.status}`);
    }
    if (!settledStatuses.has(state.status)) problems.push(`${state.id}: still ${state.status}`);
    const task = state.taskArn ? byArn.get(state.taskArn) : undefined;
    const live = tasks.filter(
      (candidate) => candidate.startedBy === state.id && candidate.lastStatus !== 'STOPPED',
    );
    if (state.status === 'running' && task?.lastStatus !== 'RUNNING') {
      problems.push(
        `${state.id}: running, but its task ${state.taskArn} is ${task?.lastStatus ?? 'unknown'}`,
      );
    }
    if (state.status !== 'running' && live.length > 0) {
      problems.push(
        `${state.id}: ${state.status}, but task(s) ${live.map((t) => t.lastStatus).join(',')} live`,
      );
    }
    if (live.length > 1) problems.push(`${state.id}: ${live.length} live tasks`);
  }
  const owned = new Set(ids);
  for (const task of tasks) {
    if (task.lastStatus !== 'STOPPED' && !owned.has(task.startedBy ?? '')) {
      problems.push(`orphan task ${task.taskArn} (${task.lastStatus}, started by ${task.startedBy})`);
    }
  }
  return problems;
}
