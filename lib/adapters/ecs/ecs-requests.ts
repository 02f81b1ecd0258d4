import { createHash } from 'node:crypto';
import type {
  ContainerDefinition,
  LogConfiguration,
  RegisterTaskDefinitionCommandInput,
  RunTaskCommandInput,
  StopTaskCommandInput,
} from '@aws-sdk/client-ecs';
import { taskDefinitionFamily } from '../../domain/task-definition';
import type { ContainerSpec, RunTaskRequest, StopTaskRequest } from '../../ports/container-runtime';
import type { EcsRuntimeConfig } from './ecs-runtime-config';

/** The one container of every task definition; DescribeTasks reports its exit code. */
export const essentialContainerName = 'main';

/** Lengths ECS accepts for RunTask and StopTask members. */
const limits = { startedBy: 128, group: 255, reason: 255 } as const;

const groupPattern = /^container:(.+):(\d+)$/;

/**
 * `container:<containerId>:<launchVersion>`: a task state change event carries it, so the event can
 * be matched to the transition that started the task.
 */
export function taskGroup(containerId: string, launchVersion: number): string {
  if (!Number.isSafeInteger(launchVersion) || launchVersion < 0) {
    throw new RangeError(`launchVersion must be a whole number >= 0, got ${launchVersion}`);
  }
  return withinLimit('group', `container:${containerId}:${launchVersion}`, limits.group);
}

/** The container id and launch version a task's `group` names, or undefined for another group. */
export function parseTaskGroup(group: string): { containerId: string; launchVersion: number } | undefined {
  const match = groupPattern.exec(group);
  const [, containerId, version] = match ?? [];
  if (containerId === undefined || version === undefined) return undefined;
  const launchVersion = Number(version);
  return Number.isSafeInteger(launchVersion) ? { containerId, launchVersion } : undefined;
}

/**
 * The RunTask clientToken of one launch: the same container and launch version always give the same
 * token, so ECS answers a retried call with the task it already started. sha256 in hex is 64
 * characters, exactly the ECS maximum, whatever the length of the id.
 */
export function runTaskClientToken(containerId: string, launchVersion: number): string {
  return createHash('sha256').update(taskGroup(containerId, launchVersion)).digest('hex');
}

export function registerTaskDefinitionInput(
  spec: ContainerSpec,
  config: EcsRuntimeConfig,
  logRegion: string | undefined,
): RegisterTaskDefinitionCommandInput {
  return {
    family: taskDefinitionFamily(config.taskDefinitionFamilyPrefix, spec.containerId),
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: String(spec.cpuUnits),
    memory: String(spec.memoryMb),
    runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    ...(config.executionRoleArn === undefined ? {} : { executionRoleArn: config.executionRoleArn }),
    ...(config.taskRoleArn === undefined ? {} : { taskRoleArn: config.taskRoleArn }),
    containerDefinitions: [containerDefinition(spec, logConfiguration(spec.containerId, config, logRegion))],
  };
}

function containerDefinition(
  spec: ContainerSpec,
  logging: LogConfiguration | undefined,
): ContainerDefinition {
  return {
    name: essentialContainerName,
    image: spec.image,
    essential: true,
    ...(spec.command === undefined ? {} : { command: [...spec.command] }),
    environment: Object.entries(spec.environment ?? {}).map(([name, value]) => ({ name, value })),
    ...(logging === undefined ? {} : { logConfiguration: logging }),
  };
}

function logConfiguration(
  containerId: string,
  config: EcsRuntimeConfig,
  logRegion: string | undefined,
): LogConfiguration | undefined {
  if (config.logGroup === undefined || logRegion === undefined) return undefined;
  return {
    logDriver: 'awslogs',
    options: {
      'awslogs-group': config.logGroup,
      'awslogs-region': logRegion,
      'awslogs-stream-prefix': containerId,
    },
  };
}

export function runTaskInput(request: RunTaskRequest, config: EcsRuntimeConfig): RunTaskCommandInput {
  const { containerId, launchVersion } = request;
  return {
    cluster: config.cluster,
    taskDefinition: request.taskDefinitionArn,
    launchType: 'FARGATE',
    count: 1,
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: [...config.subnets],
        ...(config.securityGroups.length === 0 ? {} : { securityGroups: [...config.securityGroups] }),
        assignPublicIp: config.assignPublicIp ? 'ENABLED' : 'DISABLED',
      },
    },
    startedBy: withinLimit('startedBy', containerId, limits.startedBy),
    group: taskGroup(containerId, launchVersion),
    clientToken: runTaskClientToken(containerId, launchVersion),
  };
}

export function stopTaskInput(request: StopTaskRequest, cluster: string): StopTaskCommandInput {
  return { cluster, task: request.taskArn, reason: truncate(request.reason, limits.reason) };
}

/**
 * An identifier that ECS would reject, or that would no longer match once cut, is a bug upstream:
 * container ids are 24 characters.
 */
function withinLimit(member: string, value: string, limit: number): string {
  if (value.length > limit) throw new RangeError(`${member} exceeds the ECS limit of ${limit} characters`);
  return value;
}

/** Stays within `limit` UTF-16 units without ending in half a surrogate pair. */
function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = '';
  for (const character of text) {
    if (cut.length + character.length > limit) break;
    cut += character;
  }
  return cut;
}
