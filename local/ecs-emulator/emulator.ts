import { ClientTokenRegistry } from './client-tokens';
import { ClusterDirectory } from './clusters';
import { ContainerNotFoundError, TaskNotFoundError, TaskNotRunningError } from './errors';
import { type EventDeliveryControls, TaskEventBus, type TaskStateChangeListener } from './events';
import { type FaultControls, FaultInjector } from './faults';
import { ArnBuilder, PrivateIpAllocator } from './ids';
import { TaskLifecycle } from './lifecycle';
import type { OperationContext } from './operation-context';
import { type EcsEmulatorOptions, resolveOptions } from './options';
import { Scheduler } from './scheduler';
import { startHttpServer } from './server';
import { taskDefinitionOperations } from './task-definition-operations';
import { TaskDefinitionRegistry } from './task-definitions';
import { TaskStatus } from './task-model';
import { taskOperations } from './task-operations';
import { taskStateChangeEvent } from './task-state-event';
import { TaskStore } from './task-store';

/** How a running task dies in {@link EcsEmulator.crashTask}. */
export interface CrashOptions {
  /** Exit code of the crashing container (default 1). */
  readonly exitCode?: number;
  /** The container's `reason`, e.g. `OutOfMemoryError: Container killed due to memory usage`. */
  readonly reason?: string;
  /** Which container exits (default the first essential one). */
  readonly containerName?: string;
}

/** What an `ECSClient` needs to talk to the emulator: `new ECSClient(emulator.clientConfig)`. */
export interface EcsClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** A running local ECS emulator. */
export interface EcsEmulator {
  /** `http://127.0.0.1:<port>`, to pass as the ECSClient `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  /** Endpoint, region and dummy credentials for an ECSClient. */
  readonly clientConfig: EcsClientConfig;
  /** Throttling, server errors, slow answers, RunTask placement failures and failed starts. */
  readonly faults: FaultControls;
  /** Duplicate, late, reordered or held delivery of task state change events. */
  readonly events: EventDeliveryControls;
  /** Subscribes to "ECS Task State Change" events; returns the unsubscribe function. */
  onTaskStateChange(listener: TaskStateChangeListener): () => void;
  /**
   * Makes a RUNNING task's essential container exit on its own: the task stops with stopCode
   * EssentialContainerExited. Throws TaskNotFoundError, TaskNotRunningError or ContainerNotFoundError.
   */
  crashTask(taskArn: string, options?: CrashOptions): void;
  /** Stops the server, every timer and every pending delivery. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts an ECS emulator on 127.0.0.1 speaking the ECS JSON 1.1 protocol. */
export async function startEcsEmulator(options: EcsEmulatorOptions = {}): Promise<EcsEmulator> {
  const config = resolveOptions(options);
  const now = () => Date.now();
  const scheduler = new Scheduler(config.logger);
  const arns = new ArnBuilder(config.region, config.accountId);
  const faults = new FaultInjector();
  const events = new TaskEventBus({ scheduler, logger: config.logger, options: config.events });
  const lifecycle = new TaskLifecycle({
    scheduler,
    now,
    timings: { startMs: config.startMs, stopMs: config.stopMs },
    onChange: (task) => events.emit(taskStateChangeEvent(task, config.region, config.accountId)),
  });
  const context: OperationContext = {
    arns,
    now,
    faults,
    lifecycle,
    clusters: new ClusterDirectory(arns, config.autoCreateClusters, config.clusters),
    taskDefinitions: new TaskDefinitionRegistry(arns, now),
    tasks: new TaskStore(config.stoppedRetentionMs, now),
    tokens: new ClientTokenRegistry(),
    ips: new PrivateIpAllocator(),
  };
  const server = await startHttpServer({
    port: config.port,
    operations: { ...taskDefinitionOperations(context), ...taskOperations(context) },
    faults,
    scheduler,
    logger: config.logger,
  });
  const endpoint = `http://127.0.0.1:${server.port}`;
  let closing: Promise<void> | undefined;

  return {
    endpoint,
    port: server.port,
    region: config.region,
    accountId: config.accountId,
    clientConfig: {
      endpoint,
      region: config.region,
      credentials: { accessKeyId: 'ecs-emulator', secretAccessKey: 'ecs-emulator' },
    },
    faults,
    events,
    onTaskStateChange: (listener) => events.subscribe(listener),
    crashTask: (taskArn, crash = {}) => {
      const task = context.tasks.get(taskArn);
      if (task === undefined) throw new TaskNotFoundError(taskArn);
      if (task.lastStatus !== TaskStatus.Running || task.desiredStatus !== 'RUNNING') {
        throw new TaskNotRunningError(taskArn, task.lastStatus);
      }
      const { containerName } = crash;
      if (
        containerName !== undefined &&
        !task.containers.some((container) => container.name === containerName)
      ) {
        throw new ContainerNotFoundError(taskArn, containerName);
      }
      lifecycle.crash(task, { ...crash, exitCode: crash.exitCode ?? 1 });
    },
    close: () => {
      closing ??= (async () => {
        scheduler.dispose();
        lifecycle.dispose();
        events.dispose();
        await server.close();
      })();
      return closing;
    },
  };
}
