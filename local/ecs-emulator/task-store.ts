import { arnResource } from './ids';
import type { TaskState } from './task-model';

export interface TaskFilter {
  readonly clusterName: string;
  readonly desiredStatus: string;
  readonly family?: string;
  readonly startedBy?: string;
  readonly launchType?: string;
}

/**
 * Every task of the emulator, by id. A STOPPED task is forgotten once `retentionMs` has passed
 * since it stopped; the check is lazy so no timer is needed.
 */
export class TaskStore {
  private readonly tasks = new Map<string, TaskState>();

  constructor(
    private readonly retentionMs: number,
    private readonly now: () => number,
  ) {}

  add(task: TaskState): void {
    this.tasks.set(task.taskId, task);
  }

  /** The task a DescribeTasks/StopTask reference (ARN or bare id) names inside a cluster. */
  find(clusterName: string, reference: string): TaskState | undefined {
    const { taskId, clusterName: clusterInArn } = parseTaskReference(reference);
    if (clusterInArn !== undefined && clusterInArn !== clusterName) return undefined;
    const task = this.live(taskId);
    return task?.clusterName === clusterName ? task : undefined;
  }

  /** The task with this ARN in whatever cluster it runs. */
  get(taskArn: string): TaskState | undefined {
    const task = this.live(parseTaskReference(taskArn).taskId);
    return task?.taskArn === taskArn ? task : undefined;
  }

  list(filter: TaskFilter): TaskState[] {
    this.purgeExpired();
    return [...this.tasks.values()].filter((task) => matches(task, filter));
  }

  private live(taskId: string): TaskState | undefined {
    const task = this.tasks.get(taskId);
    if (task === undefined || !this.isExpired(task)) return task;
    this.tasks.delete(taskId);
    return undefined;
  }

  private purgeExpired(): void {
    for (const [taskId, task] of this.tasks) {
      if (this.isExpired(task)) this.tasks.delete(taskId);
    }
  }

  private isExpired(task: TaskState): boolean {
    return task.stoppedAt !== undefined && this.now() - task.stoppedAt >= this.retentionMs;
  }
}

function matches(task: TaskState, filter: TaskFilter): boolean {
  return (
    task.clusterName === filter.clusterName &&
    task.desiredStatus === filter.desiredStatus &&
    (filter.family === undefined || task.family === filter.family) &&
    (filter.startedBy === undefined || task.startedBy === filter.startedBy) &&
    (filter.launchType === undefined || filter.launchType === 'FARGATE')
  );
}

/** `arn:...:task/<cluster>/<id>`, the older `arn:...:task/<id>`, or a bare `<id>`. */
function parseTaskReference(reference: string): { taskId: string; clusterName?: string } {
  const parts = arnResource(reference).split('/');
  if (parts[0] === 'task' && parts.length === 3) return { clusterName: parts[1], taskId: parts[2] ?? '' };
  return { taskId: parts.at(-1) ?? '' };
}
