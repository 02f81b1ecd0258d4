/** Containers to DynamoDB items and back, with the index entries that list and schedule them. */
import type { Container } from '../../domain/container';
import { activitySources, containerKinds } from '../../domain/container';
import { containerStatuses, isFinished, isTransitional } from '../../domain/container-status';
import { autoStopDeadline } from '../../domain/idle';
import { operations } from '../../domain/operations';
import * as z from '../../schema';
import { marshall } from './attribute-values';
import { type Item, parseItem } from './items';
import {
  autoStopPartition,
  containerKey,
  ownerPartition,
  ownerProjectPartition,
  ownerProjectStatusPartition,
  ownerStatusPartition,
  restingPartition,
  settlingPartition,
  shardOf,
} from './keys';

const status = z.enum(containerStatuses);

const containerItemSchema = z.object({
  id: z.string(),
  owner_id: z.string(),
  name: z.string(),
  project_id: z.string(),
  image: z.string(),
  command: z.nullable(z.array(z.string())),
  environment: z.record(z.string(), z.string()),
  cpu_units: z.number().check(z.int()),
  memory_mb: z.number().check(z.int()),
  idle_timeout_seconds: z.nullable(z.number().check(z.int())),
  status,
  status_reason: z.nullable(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
  last_used_at: z.string(),
  last_transition_at: z.string(),
  version: z.number().check(z.int(), z.positive()),
  task_definition_arn: z.nullable(z.string()),
  ip_address: z.nullable(z.string()),
  launch_version: z.nullable(z.number().check(z.int())),
  task: z.nullable(
    z.object({
      arn: z.nullable(z.string()),
      last_status: z.string(),
      desired_status: z.string(),
      stop_code: z.nullable(z.string()),
      stopped_reason: z.nullable(z.string()),
      event_version: z.number().check(z.int()),
    }),
  ),
  pending_operation: z.nullable(
    z.object({
      operation: z.enum([...operations, 'create']),
      requested_at: z.string(),
      transition_id: z.string(),
    }),
  ),
  expires_at: z.nullable(z.string()),
  // Added after the first items were written: an item without it has sent no warning.
  idle_warning_for: z.pipe(
    z.nullish(z.string()),
    z.transform((value) => value ?? null),
  ),
  // Added later still: items written before them have neither.
  last_activity_source: z.pipe(
    z.nullish(z.enum(activitySources)),
    z.transform((value) => value ?? null),
  ),
  snoozed_until: z.pipe(
    z.nullish(z.string()),
    z.transform((value) => value ?? null),
  ),
  // Added with the maximum lifetime: an item without them has no cap and no recorded run start.
  max_lifetime_seconds: z.pipe(
    z.nullish(z.number().check(z.int())),
    z.transform((value) => value ?? null),
  ),
  started_at: z.pipe(
    z.nullish(z.string()),
    z.transform((value) => value ?? null),
  ),
  // Added with jobs: an item without them is a service. `kind` names the item's type, hence `container_kind`.
  container_kind: z.pipe(
    z.nullish(z.enum(containerKinds)),
    z.transform((value) => value ?? 'service'),
  ),
  run_id: z.pipe(
    z.nullish(z.string()),
    z.transform((value) => value ?? null),
  ),
  exit_code: z.pipe(
    z.nullish(z.number().check(z.int())),
    z.transform((value) => value ?? null),
  ),
});

const listSortKey = (container: Container) => `${container.createdAt}#${container.id}`;

/** The sparse index entries that put a container on a scheduled function's list. */
function scheduleKeys(container: Container) {
  const shard = shardOf(container.id);
  const deadline = autoStopDeadline(container);
  const settle = isTransitional(container.status)
    ? settlingPartition(shard)
    : isFinished(container.status)
      ? restingPartition(shard)
      : undefined;
  return {
    ...(deadline ? { gsi5pk: autoStopPartition(shard), gsi5sk: `${deadline}#${container.id}` } : {}),
    ...(settle ? { gsi6pk: settle, gsi6sk: `${container.lastTransitionAt}#${container.id}` } : {}),
  };
}

export function containerItem(container: Container): Item {
  const sortKey = listSortKey(container);
  const { ownerId, projectId } = container;
  return marshall({
    ...containerKey(container.id),
    ...scheduleKeys(container),
    kind: 'container',
    gsi1pk: ownerPartition(ownerId),
    gsi1sk: sortKey,
    gsi2pk: ownerStatusPartition(ownerId, container.status),
    gsi2sk: sortKey,
    gsi3pk: ownerProjectPartition(ownerId, projectId),
    gsi3sk: sortKey,
    gsi4pk: ownerProjectStatusPartition(ownerId, projectId, container.status),
    gsi4sk: sortKey,
    id: container.id,
    owner_id: ownerId,
    name: container.name,
    project_id: projectId,
    image: container.image,
    command: container.command,
    environment: container.environment,
    cpu_units: container.resources.cpuUnits,
    memory_mb: container.resources.memoryMb,
    idle_timeout_seconds: container.idleTimeoutSeconds,
    status: container.status,
    status_reason: container.statusReason,
    created_at: container.createdAt,
    updated_at: container.updatedAt,
    last_used_at: container.lastUsedAt,
    last_transition_at: container.lastTransitionAt,
    version: container.version,
    task_definition_arn: container.taskDefinitionArn,
    ip_address: container.ipAddress,
    launch_version: container.launchVersion,
    task: container.task && {
      arn: container.task.arn,
      last_status: container.task.lastStatus,
      desired_status: container.task.desiredStatus,
      stop_code: container.task.stopCode,
      stopped_reason: container.task.stoppedReason,
      event_version: container.task.eventVersion,
    },
    pending_operation: container.pendingOperation && {
      operation: container.pendingOperation.operation,
      requested_at: container.pendingOperation.requestedAt,
      transition_id: container.pendingOperation.transitionId,
    },
    expires_at: container.expiresAt,
    idle_warning_for: container.idleWarningFor,
    last_activity_source: container.lastActivitySource,
    snoozed_until: container.snoozedUntil,
    max_lifetime_seconds: container.maxLifetimeSeconds,
    started_at: container.startedAt,
    container_kind: container.kind,
    run_id: container.runId,
    exit_code: container.exitCode,
  });
}

export function containerFromItem(item: Item): Container {
  const parsed = parseItem(containerItemSchema, item);
  return {
    id: parsed.id,
    ownerId: parsed.owner_id,
    name: parsed.name,
    projectId: parsed.project_id,
    image: parsed.image,
    command: parsed.command,
    environment: parsed.environment,
    resources: { cpuUnits: parsed.cpu_units, memoryMb: parsed.memory_mb },
    idleTimeoutSeconds: parsed.idle_timeout_seconds,
    status: parsed.status,
    statusReason: parsed.status_reason,
    createdAt: parsed.created_at,
    updatedAt: parsed.updated_at,
    lastUsedAt: parsed.last_used_at,
    lastTransitionAt: parsed.last_transition_at,
    version: parsed.version,
    taskDefinitionArn: parsed.task_definition_arn,
    ipAddress: parsed.ip_address,
    launchVersion: parsed.launch_version,
    task: parsed.task && {
      arn: parsed.task.arn,
      lastStatus: parsed.task.last_status,
      desiredStatus: parsed.task.desired_status,
      stopCode: parsed.task.stop_code,
      stoppedReason: parsed.task.stopped_reason,
      eventVersion: parsed.task.event_version,
    },
    pendingOperation: parsed.pending_operation && {
      operation: parsed.pending_operation.operation,
      requestedAt: parsed.pending_operation.requested_at,
      transitionId: parsed.pending_operation.transition_id,
    },
    expiresAt: parsed.expires_at,
    idleWarningFor: parsed.idle_warning_for,
    lastActivitySource: parsed.last_activity_source,
    snoozedUntil: parsed.snoozed_until,
    maxLifetimeSeconds: parsed.max_lifetime_seconds,
    startedAt: parsed.started_at,
    kind: parsed.container_kind,
    runId: parsed.run_id,
    exitCode: parsed.exit_code,
  };
}
