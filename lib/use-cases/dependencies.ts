import type { Clock } from '../ports/clock';
import type { ContainerRepository } from '../ports/container-repository';
import type { ContainerRuntime } from '../ports/container-runtime';
import type { EventPublisher } from '../ports/event-publisher';
import type { IdGenerator } from '../ports/id-generator';

/** What the use cases are given: their ports, and the settings that shape decisions. */
export interface Dependencies {
  readonly repository: ContainerRepository;
  readonly runtime: ContainerRuntime;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Where platform events (the idle warning) go: the table's outbox, then EventBridge, in AWS. */
  readonly events: EventPublisher;
  readonly settings: {
    /** The most containers an owner may have. */
    readonly containerQuota: number;
    /** A transitional status older than this is settled by the reconciler asking ECS. */
    readonly settleAfterSeconds: number;
    /** A container stopped longer than this expires: read-only, its task definition released. */
    readonly retentionSeconds: number;
    /** How long before an auto-stop the idle warning goes out; 0 sends none. */
    readonly idleWarningSeconds: number;
  };
}

/**
 * The dependencies every function has: the table, the clock, the ids and the settings. The ECS
 * runtime and the event publisher are added only where used (lib/wiring/), and each use case asks
 * for the fewest it needs, so a reading function never has to build an ECS or EventBridge client.
 */
export type TableDependencies = Omit<Dependencies, 'runtime' | 'events'>;

/** The dependencies of the use cases that run or stop tasks but send no platform events. */
export type RuntimeDependencies = Omit<Dependencies, 'events'>;

/** A caller as the use cases see it: who, and whether it may act on every owner's containers. */
export interface Actor {
  readonly id: string;
  readonly isAdmin: boolean;
}
