import { randomUUID } from 'node:crypto';
import type { TaskState } from './task-model';
import { eventTaskView, type TaskView } from './task-view';

/** `detail` of an "ECS Task State Change" event; timestamps are ISO-8601 strings. */
export type TaskStateChangeDetail = Omit<TaskView<string>, 'tags'> & { readonly updatedAt: string };

/** An "ECS Task State Change" event in its EventBridge envelope. */
export interface TaskStateChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'ECS Task State Change';
  readonly source: 'aws.ecs';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: TaskStateChangeDetail;
}

export function taskStateChangeEvent(task: TaskState, region: string, account: string): TaskStateChangeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    account,
    // EventBridge stamps `time` to the second.
    time: new Date(task.updatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [task.taskArn],
    detail: { ...eventTaskView(task), updatedAt: new Date(task.updatedAt).toISOString() },
  };
}
