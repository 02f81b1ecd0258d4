/**
 * The composition root, whole: every client, adapter and use-case dependency of this instance.
 *
 * A function does not import this module: it composes only what it uses from lib/wiring/
 * (table.ts for all, ecs.ts and events.ts for those that need them), so a reading function
 * neither bundles nor builds the ECS and EventBridge clients, and each function bundles the
 * DynamoDB and ECS commands it sends and no other. The pieces are made once per instance and shared, so this
 * whole view (for tests and local tools) holds the very clients the functions loaded in the same
 * process use.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbContainerRepository } from './adapters/dynamodb/dynamodb-container-repository';
import { deregisterTaskDefinition, registerTaskDefinition } from './adapters/ecs/ecs-task-definitions';
import { describeTask, runTask, stopTask } from './adapters/ecs/ecs-task-runner';
import type { Config } from './config';
import type { Dependencies } from './use-cases/dependencies';
import { sharedEcsRuntime } from './wiring/ecs';
import { eventPublisherOnce } from './wiring/events';
import { tableWiringOnce } from './wiring/table';

export interface Wiring {
  readonly config: Config;
  readonly dynamoDb: DynamoDBClient;
  readonly deps: Dependencies;
}

let wiring: Wiring | undefined;

/** Every piece of the instance's wiring, made on first use. */
export function wiringOnce(): Wiring {
  if (!wiring) {
    const { config, dynamoDb, table, deps } = tableWiringOnce();
    // Every repository call, on the very client the functions' own repositories use. A repository
    // object of its own: a spy on it does not reach the functions (spy on the client instead).
    const repository = new DynamoDbContainerRepository(dynamoDb, table.config);
    // All five ECS calls: the very runtime object the functions' views in this process call through.
    const runtime = sharedEcsRuntime({
      registerTaskDefinition,
      deregisterTaskDefinition,
      runTask,
      stopTask,
      describeTask,
    });
    wiring = { config, dynamoDb, deps: { ...deps, repository, runtime, events: eventPublisherOnce() } };
  }
  return wiring;
}
