/**
 * What every function is built on: the configuration, the DynamoDB client, the clock, the ids and
 * the settings. No repository: each function binds the repository calls it makes,
 * `tableRepository({ getContainer, saveTransition })`, so that its bundle holds those DynamoDB
 * commands and item mappings only. No ECS and no EventBridge client either: a function that needs
 * one adds it from lib/wiring/ecs.ts or lib/wiring/events.ts (issue 6).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type BoundTableCalls,
  bindTableCalls,
  type TableCalls,
  type TableTarget,
} from '../adapters/dynamodb/table-calls';
import { type Config, configOnce } from '../config';
import { systemClock } from '../ports/clock';
import { randomIds } from '../ports/id-generator';
import type { SharedDependencies } from '../use-cases/dependencies';

export interface TableWiring {
  readonly config: Config;
  readonly dynamoDb: DynamoDBClient;
  /** The client and table the repository calls are made with. */
  readonly table: TableTarget;
  readonly deps: SharedDependencies;
}

let wiring: TableWiring | undefined;

function wireTable(config: Config): TableWiring {
  const dynamoDb = new DynamoDBClient({
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
    // A hung connection fails after 5 s (and is retried) instead of holding the function until its
    // timeout, past API Gateway's 30 s, where the caller would get a bare 503.
    requestHandler: { requestTimeout: 5000, throwOnRequestTimeout: true },
  });
  return {
    config,
    dynamoDb,
    table: {
      client: dynamoDb,
      config: { tableName: config.TABLE_NAME, logRetentionDays: config.LOG_RETENTION_DAYS },
    },
    deps: {
      clock: systemClock,
      ids: randomIds,
      settings: {
        containerQuota: config.CONTAINER_QUOTA,
        settleAfterSeconds: config.SETTLE_AFTER_SECONDS,
        retentionSeconds: Math.round(config.RETENTION_DAYS * 86_400),
        idleWarningSeconds: config.IDLE_WARNING_SECONDS,
      },
    },
  };
}

/** The instance's table wiring, made on first use (at a handler module's load, i.e. cold start). */
export function tableWiringOnce(): TableWiring {
  wiring ??= wireTable(configOnce());
  return wiring;
}

/**
 * A repository of the given calls (from lib/adapters/dynamodb/container-reads.ts and the other
 * modules table-calls.ts lists) over the instance's one DynamoDB client. Call it at module scope.
 */
export function tableRepository<Calls extends TableCalls>(calls: Calls): BoundTableCalls<Calls> {
  return bindTableCalls(tableWiringOnce().table, calls);
}
