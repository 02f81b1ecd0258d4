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
 * What every function shares: the clock, the ids and the settings. The repository calls, the ECS
 * runtime and the event publisher are added by each function, those it uses only (lib/wiring/),
 * and each use case asks for the fewest it needs, so a function bundles the DynamoDB and ECS
 * commands it sends and no other, and a reading function never builds an ECS or EventBridge client.
 */
export type SharedDependencies = Omit<Dependencies, 'repository' | 'runtime' | 'events'>;

/**
 * The repository of a use case that makes the repository calls `Calls`: the function that wires
 * it binds, and bundles, those and no other (lib/wiring/table.ts).
 */
export interface RepositoryDependencies<Calls extends keyof ContainerRepository> {
  readonly repository: Pick<ContainerRepository, Calls>;
}

/** The shared dependencies and a repository of the calls `Calls`. */
export type TableDependencies<Calls extends keyof ContainerRepository = keyof ContainerRepository> =
  SharedDependencies & RepositoryDependencies<Calls>;

/**
 * The dependencies of a use case that makes the runtime calls `RuntimeCalls` and the repository
 * calls `RepositoryCalls`, and sends no platform events. Its runtime has those calls only, so the
 * function that wires it binds, and bundles, those ECS commands and no other (lib/wiring/ecs.ts).
 */
export type RuntimeDependencies<
  RuntimeCalls extends keyof ContainerRuntime = keyof ContainerRuntime,
  RepositoryCalls extends keyof ContainerRepository = keyof ContainerRepository,
> = TableDependencies<RepositoryCalls> & { readonly runtime: Pick<ContainerRuntime, RuntimeCalls> };

/** A caller as the use cases see it: who, and whether it may act on every owner's containers. */
export interface Actor {
  readonly id: string;
  readonly isAdmin: boolean;
}
