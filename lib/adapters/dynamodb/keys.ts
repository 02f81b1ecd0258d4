/**
 * Key values of every item kind. Containers and their logs share a partition (`CONTAINER#id`);
 * the indexes are overloaded: for a container they order an owner's containers, for a log one
 * container's history (see table-definition.ts).
 */

import { runVersion } from '../../domain/job';

const versionWidth = 10;

export const padVersion = (version: number): string => String(version).padStart(versionWidth, '0');

export const containerKey = (id: string) => ({ pk: `CONTAINER#${id}`, sk: 'CONTAINER' });
/** A log entry beside its container; the padded version keeps a container's entries in order. */
export const logPrefix = 'LOG#';
export const logKey = (containerId: string, version: number) => ({
  pk: `CONTAINER#${containerId}`,
  sk: `${logPrefix}${padVersion(version)}`,
});
/** A job's run beside its container; the padded launch version keeps runs in time order. */
export const runPrefix = 'RUN#';
export const runKey = (containerId: string, runId: string) => ({
  pk: `CONTAINER#${containerId}`,
  sk: `${runPrefix}${padVersion(runVersion(runId))}`,
});
/**
 * A deleted container's task definition, to be released (release-items.ts): beside its logs, keyed
 * by the definition, so that each one released is an item of its own, inserted once.
 */
export const releaseKey = (containerId: string, taskDefinitionArn: string) => ({
  pk: `CONTAINER#${containerId}`,
  sk: `RELEASE#${taskDefinitionArn}`,
});
export const ownerKey = (ownerId: string) => ({ pk: `OWNER#${ownerId}`, sk: 'OWNER' });

export const ownerPartition = (ownerId: string) => `OWNER#${ownerId}`;
export const ownerStatusPartition = (ownerId: string, status: string) => `OWNER#${ownerId}#STATUS#${status}`;
export const ownerProjectPartition = (ownerId: string, projectId: string) =>
  `OWNER#${ownerId}#PROJECT#${projectId}`;
export const ownerProjectStatusPartition = (ownerId: string, projectId: string, status: string) =>
  `OWNER#${ownerId}#PROJECT#${projectId}#STATUS#${status}`;
export const logPartition = (containerId: string) => `LOGS#${containerId}`;

/** Counter attribute names on the owner item; project ids are [a-z0-9-] so `_` cannot collide. */
export const counterNames = {
  all: 'count_all',
  /** Containers that count against the quota: every one that has not expired. */
  live: 'count_live',
  status: (status: string) => `count_s_${status}`,
  project: (projectId: string) => `count_p_${projectId}`,
  projectStatus: (projectId: string, status: string) => `count_ps_${projectId}_${status}`,
};

/**
 * The scheduled functions read their work from sparse indexes split into shards, so that no
 * single partition takes every write of a busy fleet. A container's shard never changes.
 */
export const scheduleShards = 8;

export function shardOf(containerId: string): number {
  let hash = 0;
  for (const character of containerId) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return hash % scheduleShards;
}

export const autoStopPartition = (shard: number) => `AUTOSTOP#${shard}`;
export const settlingPartition = (shard: number) => `SETTLING#${shard}`;
export const restingPartition = (shard: number) => `RESTING#${shard}`;

/**
 * Webhooks live in their owner's partition beside the owner item (`OWNER#id` / `WEBHOOK#id`),
 * so an owner's webhooks are one Query; their count has an item of its own, so that registering
 * a webhook never contends with the container counters on the owner item.
 */
export const webhookKey = (ownerId: string, webhookId: string) => ({
  pk: ownerPartition(ownerId),
  sk: `WEBHOOK#${webhookId}`,
});
export const webhookPrefix = 'WEBHOOK#';
export const webhookCountKey = (ownerId: string) => ({ pk: ownerPartition(ownerId), sk: 'WEBHOOK-COUNT' });
/** A webhook's deliveries: by id in the base table, by creation time in gsi1. */
export const deliveryKey = (webhookId: string, deliveryId: string) => ({
  pk: `WEBHOOK#${webhookId}`,
  sk: `DELIVERY#${deliveryId}`,
});
export const deliveriesPartition = (webhookId: string) => `DELIVERIES#${webhookId}`;
/** gsi5: deliveries waiting for their next attempt, by its time, in the same shards as auto-stop. */
export const deliveryRetryPartition = (shard: number) => `WEBHOOKRETRY#${shard}`;

/**
 * Weekly schedules have partitions of their own, apart from the containers they act on: a
 * container's (`SCHEDULE#C#id`) and an owner's project's (`SCHEDULE#P#owner#project`; project
 * ids hold no `#`). gsi5 lists those whose next transition is due, by its time, in shards.
 */
export const containerScheduleKey = (containerId: string) => ({
  pk: `SCHEDULE#C#${containerId}`,
  sk: 'SCHEDULE',
});
export const projectScheduleKey = (ownerId: string, projectId: string) => ({
  pk: `SCHEDULE#P#${ownerId}#${projectId}`,
  sk: 'SCHEDULE',
});
export const scheduleDuePartition = (shard: number) => `SCHEDULE#${shard}`;
/** How many schedules an owner has, beside the owner item, as the webhook count is. */
export const scheduleCountKey = (ownerId: string) => ({ pk: ownerPartition(ownerId), sk: 'SCHEDULE-COUNT' });
/**
 * Platform events sent through the table (the outbox): one item per event, keyed by its id, so that
 * writing the same event twice finds it there. No index attribute: no GSI lists them.
 */
export const outboxEventKey = (eventId: string) => ({ pk: `OUTBOX#${eventId}`, sk: 'EVENT' });
