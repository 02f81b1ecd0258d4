import type { ClientTokenRegistry } from './client-tokens';
import type { ClusterDirectory } from './clusters';
import type { FaultInjector } from './faults';
import type { ArnBuilder, PrivateIpAllocator } from './ids';
import type { TaskLifecycle } from './lifecycle';
import type { TaskDefinitionRegistry } from './task-definitions';
import type { TaskStore } from './task-store';

/** Answers one operation: takes the decoded JSON body, returns the JSON answer or throws EcsApiError. */
export type OperationHandler = (input: unknown) => unknown;

/** The emulator state the operation handlers work on. */
export interface OperationContext {
  readonly arns: ArnBuilder;
  readonly clusters: ClusterDirectory;
  readonly taskDefinitions: TaskDefinitionRegistry;
  readonly tasks: TaskStore;
  readonly lifecycle: TaskLifecycle;
  readonly tokens: ClientTokenRegistry;
  readonly faults: FaultInjector;
  readonly ips: PrivateIpAllocator;
  readonly now: () => number;
}
