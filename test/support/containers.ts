import { randomUUID } from 'node:crypto';
import type { Container, StatusLog } from '../../lib/domain/container';
import { newContainerId } from '../../lib/domain/container-id';
import { type Transition, type TransitionRequest, transition } from '../../lib/domain/transition';
import type { CreateContainerInput } from '../../lib/use-cases/create-container';

/** The default creation time of built containers; tests that order by time pass their own. */
export const defaultCreatedAt = '2026-11-22T10:30:00.000Z';

/**
 * A valid container, `running` at version 1, with a fresh time-ordered id derived from its
 * `createdAt`. Every field can be overridden; timestamps not given follow `createdAt`.
 */
export function aContainer(overrides: Partial<Container> = {}): Container {
  const createdAt = overrides.createdAt ?? defaultCreatedAt;
  return {
    id: newContainerId(new Date(createdAt)),
    ownerId: 'usr_alice',
    name: 'dev-environment',
    projectId: 'default',
    image: 'public.ecr.aws/docker/library/python:3.13',
    command: ['python', '-m', 'http.server'],
    environment: { LOG_LEVEL: 'debug' },
    resources: { cpuUnits: 256, memoryMb: 512 },
    idleTimeoutSeconds: 3600,
    status: 'running',
    statusReason: null,
    createdAt,
    updatedAt: createdAt,
    lastUsedAt: createdAt,
    lastTransitionAt: createdAt,
    version: 1,
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/dev-environment:1',
    ipAddress: '10.0.1.23',
    launchVersion: 1,
    task: {
      arn: 'arn:aws:ecs:us-east-1:000000000000:task/cluster/0123456789abcdef',
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      stopCode: null,
      stoppedReason: null,
      eventVersion: 3,
    },
    pendingOperation: null,
    expiresAt: null,
    idleWarningFor: null,
    lastActivitySource: 'create',
    snoozedUntil: null,
    maxLifetimeSeconds: null,
    startedAt: null,
    kind: 'service',
    runId: null,
    exitCode: null,
    ...overrides,
  };
}

/** A valid status-log entry: a container's creation (`null → creating`, version 1) unless overridden. */
export function aLog(overrides: Partial<StatusLog> = {}): StatusLog {
  const at = overrides.transitionTime ?? defaultCreatedAt;
  return {
    id: randomUUID(),
    containerId: newContainerId(new Date(at)),
    ownerId: 'usr_alice',
    version: 1,
    fromStatus: null,
    toStatus: 'creating',
    transitionTime: at,
    createdAt: at,
    durationMs: 0,
    triggeredBy: 'user',
    operation: 'create',
    reason: 'create requested',
    metadata: {},
    ...overrides,
  };
}

/**
 * The history a container has when it is created: one entry per version up to its own,
 * `null → creating` first and ending at the container's status (what `createContainer` takes).
 */
export function historyOf(container: Container): StatusLog[] {
  return Array.from({ length: container.version }, (_, index) => {
    const version = index + 1;
    return aLog({
      containerId: container.id,
      ownerId: container.ownerId,
      version,
      fromStatus: version === 1 ? null : 'creating',
      toStatus: version === container.version ? container.status : 'creating',
      transitionTime: container.createdAt,
      createdAt: container.createdAt,
      operation: version === 1 ? 'create' : null,
      reason: null,
    });
  });
}

/**
 * `transition()` with the request fields a test rarely cares about filled in: a fresh transition
 * id, one second after the container's last transition, triggered by the user.
 */
export function aTransition(
  before: Container,
  request: Partial<TransitionRequest> & Pick<TransitionRequest, 'to'>,
): Transition {
  const at = request.at ?? new Date(Date.parse(before.lastTransitionAt) + 1000).toISOString();
  return transition(before, {
    at,
    recordedAt: at,
    transitionId: randomUUID(),
    triggeredBy: 'user',
    operation: null,
    reason: null,
    ...request,
  });
}

/** A request to create alice's stopped python container (`start: false`); override what matters. */
export function aCreateRequest(overrides: Partial<CreateContainerInput> = {}): CreateContainerInput {
  return {
    actor: { id: 'usr_alice', isAdmin: false },
    name: 'dev-environment',
    image: 'public.ecr.aws/docker/library/python:3.13',
    projectId: 'default',
    cpuUnits: 256,
    memoryMb: 512,
    command: null,
    environment: {},
    idleTimeoutSeconds: null,
    start: false,
    ...overrides,
  };
}
