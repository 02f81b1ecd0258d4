/**
 * What every function is built on: the configuration, the DynamoDB client and the repository,
 * the clock, the ids and the settings. No ECS and no EventBridge client: a function that needs
 * one adds it from lib/wiring/ecs.ts or lib/wiring/events.ts, so a function that only reads
 * neither bundles nor constructs them (issue 6).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbContainerRepository } from '../adapters/dynamodb/dynamodb-container-repository';
import { type Config, configOnce } from '../config';
import { systemClock } from '../ports/clock';
import { randomIds } from '../ports/id-generator';
import type { TableDependencies } from '../use-cases/dependencies';

export interface TableWiring {
  readonly config: Config;
  readonly dynamoDb: DynamoDBClient;
  readonly deps: TableDependencies;
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
    deps: {
      repository: new DynamoDbContainerRepository(dynamoDb, {
        tableName: config.TABLE_NAME,
        logRetentionDays: config.LOG_RETENTION_DAYS,
      }),
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
