/**
 * The container repository is a set of functions, one per repository call (container-reads.ts,
 * container-writes.ts, transition-writes.ts, container-lists.ts, status-log-reads.ts,
 * job-run-reads.ts, sweep-indexes.ts), rather than one class: esbuild cannot drop a class's unused
 * methods, so every function bundled the SDK command of every call and the item mapping of every
 * item type. A function binds the calls it makes (lib/wiring/table.ts) and bundles those alone;
 * dynamodb-container-repository.ts composes them all (cold load, issue 6).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface TableConfig {
  readonly tableName: string;
  /** Days a status log is kept after it is written (the item's TTL). */
  readonly logRetentionDays: number;
}

/** The client and the table every call is made with. */
export interface TableTarget {
  readonly client: DynamoDBClient;
  readonly config: TableConfig;
}

/** One call of the adapter: DynamoDB requests made on `table`, its failures mapped by dynamodb-errors.ts. */
export type TableCall = (table: TableTarget, ...args: never) => unknown;

/**
 * Calls of the adapter, named as the ContainerRepository members they implement. A member that is
 * a constant (`scheduleShards`) is given as it is.
 */
export type TableCalls = Readonly<Record<string, TableCall | number>>;

/** The calls with their table bound: a repository of these members and no other. */
export type BoundTableCalls<Calls extends TableCalls> = {
  readonly [Name in keyof Calls]: Calls[Name] extends (
    table: TableTarget,
    ...args: infer Args
  ) => infer Output
    ? (...args: Args) => Output
    : Calls[Name];
};

/**
 * `bindTableCalls(table, { getContainer, saveTransition })` is a
 * `Pick<ContainerRepository, 'getContainer' | 'saveTransition'>`.
 */
export function bindTableCalls<Calls extends TableCalls>(
  table: TableTarget,
  calls: Calls,
): BoundTableCalls<Calls> {
  const bound = Object.entries(calls).map(([name, call]) => [
    name,
    typeof call === 'function' ? (...args: never[]) => call(table, ...(args as never)) : call,
  ]);
  return Object.fromEntries(bound) as BoundTableCalls<Calls>;
}
