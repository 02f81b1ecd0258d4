import type { Container, ContainerKind, StatusLog } from '../domain/container';
import { DomainError } from '../domain/errors';
import { runIdFor } from '../domain/job';
import { transition } from '../domain/transition';
import { VersionConflictError } from '../ports/container-repository';
import type { Actor, RuntimeDependencies } from './dependencies';
import { retryOnConflict } from './load-container';
import { recordLaunchedTask, requireTaskDefinition } from './operate-container';
import { runtimeFailure } from './runtime-failure';

export interface CreateContainerInput {
  readonly actor: Actor;
  readonly name: string;
  readonly image: string;
  readonly projectId: string;
  readonly cpuUnits: number;
  readonly memoryMb: number;
  readonly command: readonly string[] | null;
  readonly environment: Readonly<Record<string, string>>;
  readonly idleTimeoutSeconds: number | null;
  /** The longest a run may last (auto-stopped then, whatever its use); null: no cap. */
  readonly maxLifetimeSeconds?: number | null | undefined;
  readonly start: boolean;
  /** A service runs until stopped; a job runs to completion, each start a run. @default 'service' */
  readonly kind?: ContainerKind | undefined;
}

export interface CreatedContainer {
  readonly container: Container;
  /** Why the task could not start, when it could not: the container was created all the same. */
  readonly startFailure?: DomainError;
  /** The create's own step (`creating -> starting`, or `-> stopped`): what GET /v1/operations/{id} follows. */
  readonly operationId: string;
}

/**
 * Registers the task definition and runs it; releases it again when the container cannot be
 * written, and stops the new task when a stop or delete came while RunTask was in flight.
 */
export type CreateContainerDependencies = RuntimeDependencies<
  'registerTaskDefinition' | 'deregisterTaskDefinition' | 'runTask' | 'stopTask',
  'getOwner' | 'createContainer' | 'getContainer' | 'saveTransition' | 'saveWithoutTransition'
>;

/**
 * Registers the container's task definition, then records the container with its first two
 * history entries (creating, then starting or stopped) in one transaction that also enforces the
 * owner's quota, then starts its task. A task that cannot start leaves the container in `error`,
 * with the reason, for the caller to start again or delete: the container exists either way, so
 * a retried request (same Idempotency-Key) gets the same container, not a second one.
 */
export async function createContainer(
  deps: CreateContainerDependencies,
  input: CreateContainerInput,
): Promise<CreatedContainer> {
  // Checked before ECS is asked anything, so an owner at its quota or banned cannot make this
  // service call RegisterTaskDefinition in a loop; the transaction below checks again for races.
  const owner = await deps.repository.getOwner(input.actor.id);
  if (owner.banned) throw new DomainError('ACCOUNT_BANNED', 'This account is banned');
  if (owner.containerCount >= deps.settings.containerQuota) {
    throw new DomainError('QUOTA_EXCEEDED', `Container limit of ${deps.settings.containerQuota} reached`, {
      details: { limit: deps.settings.containerQuota },
    });
  }
  const createdAt = deps.clock.now();
  const now = createdAt.toISOString();
  const id = deps.ids.containerId(createdAt);
  const taskDefinitionArn = await deps.runtime
    .registerTaskDefinition({
      containerId: id,
      image: input.image,
      cpuUnits: input.cpuUnits,
      memoryMb: input.memoryMb,
      command: input.command ?? undefined,
      environment: input.environment,
    })
    .catch((error: unknown) => {
      throw runtimeFailure(error, id);
    });

  const creating: Container = {
    id,
    ownerId: input.actor.id,
    name: input.name,
    projectId: input.projectId,
    image: input.image,
    command: input.command,
    environment: input.environment,
    resources: { cpuUnits: input.cpuUnits, memoryMb: input.memoryMb },
    idleTimeoutSeconds: input.idleTimeoutSeconds,
    maxLifetimeSeconds: input.maxLifetimeSeconds ?? null,
    status: 'creating',
    statusReason: null,
    createdAt: now,
    updatedAt: now,
    lastUsedAt: now,
    lastTransitionAt: now,
    version: 1,
    taskDefinitionArn,
    ipAddress: null,
    launchVersion: null,
    task: null,
    pendingOperation: null,
    expiresAt: null,
    idleWarningFor: null,
    lastActivitySource: 'create',
    snoozedUntil: null,
    startedAt: null,
    kind: input.kind ?? 'service',
    runId: null,
    exitCode: null,
  };
  const firstLog: StatusLog = {
    id: deps.ids.transitionId(id, 1),
    containerId: id,
    ownerId: input.actor.id,
    version: 1,
    fromStatus: null,
    toStatus: 'creating',
    transitionTime: now,
    createdAt: now,
    durationMs: 0,
    triggeredBy: 'user',
    operation: 'create',
    reason: 'create requested',
    metadata: { task_definition_arn: taskDefinitionArn },
  };
  const recordedAt = deps.clock.now().toISOString();
  const transitionId = deps.ids.transitionId(id, creating.version + 1);
  const next = transition(creating, {
    to: input.start ? 'starting' : 'stopped',
    at: recordedAt,
    recordedAt,
    transitionId,
    triggeredBy: 'user',
    operation: 'create',
    reason: input.start ? 'created and starting' : 'created without starting',
    pendingOperation: input.start ? { operation: 'create', requestedAt: now, transitionId } : null,
    changes: input.start
      ? {
          launchVersion: 2,
          startedAt: recordedAt,
          ...(creating.kind === 'job' ? { runId: runIdFor(2) } : {}),
        }
      : {},
  });

  try {
    // The owner's counters are one item: creates of one owner that race conflict and try again.
    await retryOnConflict(() =>
      deps.repository.createContainer({
        container: next.after,
        logs: [firstLog, next.log],
        quota: deps.settings.containerQuota,
        run: next.run,
      }),
    );
  } catch (error) {
    // Nothing was stored: the task definition would be an orphan.
    await deps.runtime.deregisterTaskDefinition(taskDefinitionArn).catch(() => undefined);
    throw error;
  }
  const operationId = next.log.id;
  if (!input.start) return { container: next.after, operationId };

  try {
    const launched = await deps.runtime.runTask({
      containerId: id,
      taskDefinitionArn: requireTaskDefinition(next.after),
      launchVersion: next.after.version,
    });
    await recordLaunchedTask(deps, next.after, launched.taskArn, launched.lastStatus);
    return {
      operationId,
      container: {
        ...next.after,
        task: { ...emptyTask, arn: launched.taskArn, lastStatus: launched.lastStatus },
      },
    };
  } catch (error) {
    const failure = runtimeFailure(error, id, operationId);
    const failedAt = deps.clock.now().toISOString();
    const failed = transition(next.after, {
      to: 'error',
      at: failedAt,
      recordedAt: failedAt,
      transitionId: deps.ids.transitionId(id, next.after.version + 1),
      triggeredBy: 'user',
      operation: 'create',
      reason: `the task could not start: ${failure.message}`,
      metadata: { error_code: failure.code },
    });
    try {
      await deps.repository.saveTransition(failed);
    } catch (conflict) {
      // A force-stop or delete got there first: its state stands.
      if (!(conflict instanceof VersionConflictError)) throw conflict;
      return { container: next.after, startFailure: failure, operationId };
    }
    return { container: failed.after, startFailure: failure, operationId };
  }
}

const emptyTask = {
  arn: null,
  lastStatus: 'PROVISIONING',
  desiredStatus: 'RUNNING',
  stopCode: null,
  stoppedReason: null,
  eventVersion: 0,
};
