/**
 * The "ECS Task State Change" EventBridge event, parsed at the trust boundary. Non-strict: AWS
 * adds members to `detail` over time, and only the ones read here are checked.
 */

import * as z from '../../schema';
import type { TaskStateChange } from '../../use-cases/handle-task-state-change';
import { parseTaskGroup } from './ecs-requests';
import {
  essentialExitCode,
  privateIpAddress,
  taskAttachmentsSchema,
  taskContainersSchema,
} from './ecs-task-state';

const taskStateChangeSchema = z.object({
  'detail-type': z.literal('ECS Task State Change'),
  source: z.literal('aws.ecs'),
  time: z.string(),
  detail: z.object({
    taskArn: z.string().check(z.minLength(1)),
    lastStatus: z.string().check(z.minLength(1)),
    desiredStatus: z.string().check(z.minLength(1)),
    version: z.number().check(z.int(), z.nonnegative()),
    startedBy: z.nullish(z.string()),
    group: z.nullish(z.string()),
    startedAt: z.nullish(z.string()),
    stoppedAt: z.nullish(z.string()),
    updatedAt: z.nullish(z.string()),
    stopCode: z.nullish(z.string()),
    stoppedReason: z.nullish(z.string()),
    containers: taskContainersSchema,
    attachments: taskAttachmentsSchema,
  }),
});

export class MalformedTaskEventError extends Error {
  override readonly name = 'MalformedTaskEventError';
}

export function parseTaskStateChange(event: unknown): TaskStateChange {
  const parsed = taskStateChangeSchema.safeParse(event);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new MalformedTaskEventError(`not an ECS Task State Change event: ${fields}`);
  }
  const { detail, time } = parsed.data;
  const launch = detail.group ? parseTaskGroup(detail.group) : undefined;
  return {
    taskArn: detail.taskArn,
    lastStatus: detail.lastStatus,
    desiredStatus: detail.desiredStatus,
    launch: launch && launch.containerId === detail.startedBy ? launch : undefined,
    version: detail.version,
    startedAt: detail.startedAt ?? undefined,
    stoppedAt: detail.stoppedAt ?? undefined,
    updatedAt: detail.updatedAt ?? undefined,
    stopCode: detail.stopCode ?? undefined,
    stoppedReason: detail.stoppedReason ?? undefined,
    exitCode: essentialExitCode(detail),
    ipAddress: privateIpAddress(detail),
    time,
  };
}
