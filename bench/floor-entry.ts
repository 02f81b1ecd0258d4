/**
 * The reference "floor" bundle of bench/bundles.ts: the two SDK clients every function could
 * need, constructed and nothing else. No function can load faster than the clients it uses.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';

export const clients = { dynamoDb: new DynamoDBClient({}), ecs: new ECSClient({}) };

export async function handler() {
  return { dynamoDb: Boolean(clients.dynamoDb), ecs: Boolean(clients.ecs) };
}
