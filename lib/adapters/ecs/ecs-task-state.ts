import type { Task } from '@aws-sdk/client-ecs';
import type { TaskState } from '../../ports/container-runtime';
import * as z from '../../schema';
import { essentialContainerName } from './ecs-requests';

// DescribeTasks names the attachment `ElasticNetworkInterface`; task state change events name it `eni`.
const eniAttachmentTypes = new Set(['ElasticNetworkInterface', 'eni']);
const privateIpDetail = 'privateIPv4Address';

/** The task's containers and attachments as DescribeTasks and task events both carry them. */
export const taskContainersSchema = z.nullish(
  z.array(z.object({ name: z.nullish(z.string()), exitCode: z.nullish(z.number().check(z.int())) })),
);
export const taskAttachmentsSchema = z.nullish(
  z.array(
    z.object({
      type: z.nullish(z.string()),
      details: z.nullish(z.array(z.object({ name: z.nullish(z.string()), value: z.nullish(z.string()) }))),
    }),
  ),
);
type TaskParts = {
  containers?: z.infer<typeof taskContainersSchema>;
  attachments?: z.infer<typeof taskAttachmentsSchema>;
};

/** The members the adapter reads; ECS adds members over time, so the others pass unchecked. */
const describedTaskSchema = z.object({
  taskArn: z.string(),
  lastStatus: z.string(),
  desiredStatus: z.string(),
  stopCode: z.nullish(z.string()),
  stoppedReason: z.nullish(z.string()),
  version: z.nullish(z.number().check(z.int())),
  containers: taskContainersSchema,
  attachments: taskAttachmentsSchema,
});

/** The task as the port describes it, or undefined when ECS left out a member the port needs. */
export function toTaskState(task: Task): TaskState | undefined {
  const parsed = describedTaskSchema.safeParse(task);
  if (!parsed.success) return undefined;
  const described = parsed.data;
  return {
    taskArn: described.taskArn,
    lastStatus: described.lastStatus,
    desiredStatus: described.desiredStatus,
    stopCode: described.stopCode ?? undefined,
    stoppedReason: described.stoppedReason ?? undefined,
    exitCode: essentialExitCode(described),
    ipAddress: privateIpAddress(described),
    version: described.version ?? undefined,
  };
}

/** DescribeTasks does not flag essential containers; ours is the one named `main`. */
export function essentialExitCode(task: TaskParts): number | undefined {
  const container = task.containers?.find((candidate) => candidate.name === essentialContainerName);
  return container?.exitCode ?? undefined;
}

export function privateIpAddress(task: TaskParts): string | undefined {
  const eni = task.attachments?.find((attachment) => eniAttachmentTypes.has(attachment.type ?? ''));
  return eni?.details?.find((detail) => detail.name === privateIpDetail)?.value ?? undefined;
}
