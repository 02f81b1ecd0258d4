import type { ContainerState, NetworkInterfaceState, Tag, TaskState } from './task-model';

/** A name/value detail of an attachment, as ECS lists ENI details. */
export interface AttachmentDetail {
  readonly name: string;
  readonly value: string;
}

export interface AttachmentView {
  readonly id: string;
  /** `ElasticNetworkInterface` in the API, `eni` in task state change events, as ECS does. */
  readonly type: string;
  readonly status: string;
  readonly details: readonly AttachmentDetail[];
}

export interface ContainerView {
  readonly containerArn: string;
  readonly taskArn: string;
  readonly name: string;
  readonly image: string;
  readonly runtimeId: string;
  readonly lastStatus: string;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly healthStatus: 'UNKNOWN';
  readonly cpu: string;
  readonly memory?: string;
  readonly networkBindings: readonly unknown[];
  readonly networkInterfaces: readonly { attachmentId: string; privateIpv4Address: string }[];
}

/** A task with its timestamps as `D`: epoch seconds on the wire, ISO strings in events. */
export interface TaskView<D> {
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  readonly version: number;
  readonly launchType: 'FARGATE';
  readonly capacityProviderName?: string;
  readonly platformVersion: string;
  readonly platformFamily: string;
  readonly availabilityZone: string;
  readonly cpu: string;
  readonly memory: string;
  readonly group: string;
  readonly startedBy?: string;
  readonly enableExecuteCommand: boolean;
  readonly ephemeralStorage: { readonly sizeInGiB: number };
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly attachments: readonly AttachmentView[];
  readonly containers: readonly ContainerView[];
  readonly connectivity?: 'CONNECTED';
  readonly connectivityAt?: D;
  readonly createdAt: D;
  readonly pullStartedAt?: D;
  readonly pullStoppedAt?: D;
  readonly startedAt?: D;
  readonly stoppingAt?: D;
  readonly executionStoppedAt?: D;
  readonly stoppedAt?: D;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly tags?: readonly Tag[];
}

interface ViewStyle<D> {
  readonly date: (epochMs: number) => D;
  readonly attachmentType: string;
}

/** The wire shape of DescribeTasks/RunTask/StopTask (JSON protocol timestamps are epoch seconds). */
export function apiTaskView(task: TaskState, includeTags = false): TaskView<number> {
  const view = taskView(task, { date: (ms) => ms / 1000, attachmentType: 'ElasticNetworkInterface' });
  return includeTags ? { ...view, tags: [...task.tags] } : view;
}

/** The `detail` shape of an "ECS Task State Change" event. */
export function eventTaskView(task: TaskState): TaskView<string> {
  return taskView(task, { date: (ms) => new Date(ms).toISOString(), attachmentType: 'eni' });
}

function taskView<D>(task: TaskState, style: ViewStyle<D>): TaskView<D> {
  const at = (ms: number | undefined): D | undefined => (ms === undefined ? undefined : style.date(ms));
  return withoutUndefined({
    taskArn: task.taskArn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    version: task.version,
    launchType: 'FARGATE',
    capacityProviderName: task.capacityProviderName,
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    availabilityZone: task.availabilityZone,
    cpu: task.cpu,
    memory: task.memory,
    group: task.group,
    startedBy: task.startedBy,
    enableExecuteCommand: task.enableExecuteCommand,
    ephemeralStorage: { sizeInGiB: 20 },
    overrides: task.overrides,
    attachments: [attachmentView(task.networkInterface, style.attachmentType)],
    containers: task.containers.map((container) => containerView(task, container)),
    connectivity: task.connectivityAt === undefined ? undefined : 'CONNECTED',
    connectivityAt: at(task.connectivityAt),
    createdAt: style.date(task.createdAt),
    pullStartedAt: at(task.pullStartedAt),
    pullStoppedAt: at(task.pullStoppedAt),
    startedAt: at(task.startedAt),
    stoppingAt: at(task.stoppingAt),
    executionStoppedAt: at(task.executionStoppedAt),
    stoppedAt: at(task.stoppedAt),
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
  });
}

function attachmentView(eni: NetworkInterfaceState, type: string): AttachmentView {
  const details: AttachmentDetail[] = [{ name: 'subnetId', value: eni.subnetId }];
  // Fargate only reports the interface once it is attached, i.e. from PENDING on.
  if (eni.status !== 'PRECREATED') {
    details.push(
      { name: 'networkInterfaceId', value: eni.networkInterfaceId },
      { name: 'macAddress', value: eni.macAddress },
      { name: 'privateDnsName', value: eni.privateDnsName },
      { name: 'privateIPv4Address', value: eni.privateIPv4Address },
    );
  }
  return { id: eni.attachmentId, type, status: eni.status, details };
}

function containerView(task: TaskState, container: ContainerState): ContainerView {
  const attached = task.networkInterface.status !== 'PRECREATED';
  return withoutUndefined({
    containerArn: container.containerArn,
    taskArn: task.taskArn,
    name: container.name,
    image: container.image,
    runtimeId: container.runtimeId,
    lastStatus: container.lastStatus,
    exitCode: container.exitCode,
    reason: container.reason,
    healthStatus: 'UNKNOWN',
    cpu: String(container.cpu),
    memory: container.memory === undefined ? undefined : String(container.memory),
    networkBindings: [],
    networkInterfaces: attached
      ? [
          {
            attachmentId: task.networkInterface.attachmentId,
            privateIpv4Address: task.networkInterface.privateIPv4Address,
          },
        ]
      : [],
  });
}

/** Drops undefined members: event listeners get structured clones, where `in` would still see them. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}
