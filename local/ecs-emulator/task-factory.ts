import { randomUUID } from 'node:crypto';
import type { Cluster } from './clusters';
import { clientError, invalidParameterError } from './errors';
import {
  type ArnBuilder,
  newMacAddress,
  newNetworkInterfaceId,
  newRuntimeId,
  newTaskId,
  type PrivateIpAllocator,
  privateDnsName,
} from './ids';
import type { RunTaskInput } from './schemas';
import type { TaskDefinitionRecord } from './task-definitions';
import {
  AttachmentStatus,
  type ContainerState,
  ContainerStatus,
  DesiredStatus,
  type NetworkInterfaceState,
  type TaskState,
  TaskStatus,
} from './task-model';

export interface NewTask {
  readonly cluster: Cluster;
  readonly taskDefinition: TaskDefinitionRecord;
  readonly input: RunTaskInput;
  readonly arns: ArnBuilder;
  readonly ips: PrivateIpAllocator;
  readonly now: number;
}

type ContainerOverride = NonNullable<NonNullable<RunTaskInput['overrides']>['containerOverrides']>[number];

/** Checks what ECS checks before placing a task of this definition with these parameters. */
export function checkRunnable(taskDefinition: TaskDefinitionRecord, input: RunTaskInput): void {
  if (input.launchType !== undefined && input.capacityProviderStrategy !== undefined) {
    throw invalidParameterError(
      'Specifying both a launch type and capacity provider strategy is not supported.',
    );
  }
  if (input.launchType !== undefined && input.launchType !== 'FARGATE') {
    throw invalidParameterError(`The emulator runs FARGATE tasks only, not ${input.launchType}.`);
  }
  if (!taskDefinition.compatibilities.includes('FARGATE')) {
    throw clientError('Task definition does not support launch_type FARGATE.');
  }
  const subnets = input.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
  if (subnets.length === 0) {
    throw invalidParameterError(
      "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    );
  }
  const names = new Set(taskDefinition.definition.containerDefinitions.map((container) => container.name));
  for (const override of input.overrides?.containerOverrides ?? []) {
    if (override.name !== undefined && !names.has(override.name)) {
      throw invalidParameterError(
        `Override for container named ${override.name} is not a container in the TaskDefinition.`,
      );
    }
  }
}

export function createTask(spec: NewTask): TaskState {
  const { cluster, taskDefinition, input, arns, now } = spec;
  const taskId = newTaskId();
  const taskArn = arns.task(cluster.name, taskId);
  const definition = taskDefinition.definition;
  const overrides = input.overrides ?? {};
  return {
    taskArn,
    taskId,
    clusterName: cluster.name,
    clusterArn: cluster.arn,
    taskDefinitionArn: taskDefinition.taskDefinitionArn,
    family: taskDefinition.family,
    availabilityZone: `${arns.region}a`,
    cpu: overrides.cpu ?? definition.cpu ?? '256',
    memory: overrides.memory ?? definition.memory ?? '512',
    group: input.group ?? `family:${taskDefinition.family}`,
    ...(input.startedBy === undefined ? {} : { startedBy: input.startedBy }),
    ...(input.capacityProviderStrategy?.[0] === undefined
      ? {}
      : { capacityProviderName: input.capacityProviderStrategy[0].capacityProvider }),
    enableExecuteCommand: input.enableExecuteCommand ?? false,
    overrides: overridesView(taskDefinition, overrides),
    tags: input.tags ?? [],
    containers: containers(spec, taskId),
    networkInterface: networkInterface(spec),
    lastStatus: TaskStatus.Provisioning,
    desiredStatus: DesiredStatus.Running,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

function containers(spec: NewTask, taskId: string): ContainerState[] {
  const overrides = spec.input.overrides?.containerOverrides ?? [];
  return spec.taskDefinition.definition.containerDefinitions.map((definition) => {
    const override = overrides.find((candidate) => candidate.name === definition.name);
    const memory = override?.memory ?? definition.memory;
    return {
      containerArn: spec.arns.container(spec.cluster.name, taskId, randomUUID()),
      name: definition.name,
      image: definition.image,
      essential: definition.essential ?? true,
      cpu: override?.cpu ?? definition.cpu ?? 0,
      ...(memory === undefined ? {} : { memory }),
      runtimeId: newRuntimeId(taskId),
      lastStatus: ContainerStatus.Pending,
    };
  });
}

function networkInterface(spec: NewTask): NetworkInterfaceState {
  const ip = spec.ips.allocate();
  return {
    attachmentId: randomUUID(),
    subnetId: spec.input.networkConfiguration?.awsvpcConfiguration?.subnets[0] ?? 'subnet-00000000',
    networkInterfaceId: newNetworkInterfaceId(),
    macAddress: newMacAddress(),
    privateIPv4Address: ip,
    privateDnsName: privateDnsName(ip, spec.arns.region),
    status: AttachmentStatus.Precreated,
  };
}

/** ECS echoes the overrides with one entry per container of the definition. */
function overridesView(
  taskDefinition: TaskDefinitionRecord,
  overrides: NonNullable<RunTaskInput['overrides']>,
): Record<string, unknown> {
  const given: readonly ContainerOverride[] = overrides.containerOverrides ?? [];
  const containerOverrides = taskDefinition.definition.containerDefinitions.map((definition) => ({
    ...given.find((override) => override.name === definition.name),
    name: definition.name,
  }));
  return { inferenceAcceleratorOverrides: [], ...overrides, containerOverrides };
}
