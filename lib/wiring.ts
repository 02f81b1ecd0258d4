/**
 * The composition root: the clients, adapters and use-case dependencies, built once per
 * Lambda instance from the configuration and shared by every invocation.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDbContainerRepository } from './adapters/dynamodb/dynamodb-container-repository';
import { createEcsClient, EcsContainerRuntime } from './adapters/ecs/ecs-container-runtime';
import { EventBridgePublisher } from './adapters/eventbridge/eventbridge-publisher';
import { LogPublisher } from './adapters/eventbridge/log-publisher';
import { type Config, loadConfig } from './config';
import { systemClock } from './ports/clock';
import { randomIds } from './ports/id-generator';
import type { Dependencies } from './use-cases/dependencies';

export interface Wiring {
  readonly config: Config;
  readonly dynamoDb: DynamoDBClient;
  readonly deps: Dependencies;
}

let wiring: Wiring | undefined;

export function wire(config: Config = loadConfig()): Wiring {
  const dynamoDb = new DynamoDBClient(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {});
  const ecs = createEcsClient({ endpoint: config.ECS_ENDPOINT });
  const deps: Dependencies = {
    repository: new DynamoDbContainerRepository(dynamoDb, {
      tableName: config.TABLE_NAME,
      logRetentionDays: config.LOG_RETENTION_DAYS,
    }),
    runtime: new EcsContainerRuntime(ecs, {
      cluster: config.ECS_CLUSTER,
      subnets: config.ECS_SUBNETS,
      securityGroups: config.ECS_SECURITY_GROUPS,
      assignPublicIp: config.ECS_ASSIGN_PUBLIC_IP,
      executionRoleArn: config.ECS_EXECUTION_ROLE_ARN,
      taskRoleArn: config.ECS_TASK_ROLE_ARN,
      logGroup: config.ECS_LOG_GROUP,
      taskDefinitionFamilyPrefix: config.TASK_FAMILY_PREFIX,
    }),
    clock: systemClock,
    ids: randomIds,
    events:
      config.EVENT_BUS_NAME === 'log'
        ? new LogPublisher()
        : new EventBridgePublisher(new EventBridgeClient({}), config.EVENT_BUS_NAME),
    settings: {
      containerQuota: config.CONTAINER_QUOTA,
      settleAfterSeconds: config.SETTLE_AFTER_SECONDS,
      retentionSeconds: Math.round(config.RETENTION_DAYS * 86_400),
      idleWarningSeconds: config.IDLE_WARNING_SECONDS,
    },
  };
  return { config, dynamoDb, deps };
}

/** The instance's wiring, made on first use (at a handler module's load, i.e. cold start). */
export function wiringOnce(): Wiring {
  wiring ??= wire();
  return wiring;
}
