/**
 * The auto-stop sweep against DynamoDB Local, for fleets of `BENCH_FLEET_SIZES` containers
 * (default 10000; `10000,100000` for the full run, which takes minutes; `none` skips it) with 1%
 * due, beside a Scan-based sweep measured in the same run on the same table. Wall time and items
 * read. Nothing is stopped for real: the runtime answers at once, so the figures are the sweep's
 * own reads and writes. Part of `npm run bench` (bench/run.ts); `tsx bench/auto-stop.ts` runs it alone.
 */
import { performance } from 'node:perf_hooks';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbContainerRepository } from '../lib/adapters/dynamodb/dynamodb-container-repository';
import { newContainerId } from '../lib/domain/container-id';
import type { ContainerRuntime } from '../lib/ports/container-runtime';
import { randomIds } from '../lib/ports/id-generator';
import { autoStopIdleContainers } from '../lib/use-cases/auto-stop-idle-containers';
import { createTable } from '../local/create-table';
import { localDynamoDbClient, startDynamoDbLocal } from '../local/dynamodb-local';
import { aContainer } from '../test/support/containers';
import { countReads, writeFleet } from '../test/support/fleet';
import { formatTable, isMain } from './table';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const now = new Date('2026-11-23T12:00:00.000Z');

/** `BENCH_FLEET_SIZES`: comma-separated fleet sizes, default 10000; `none` (or empty) for none. */
export function fleetSizes(value = process.env.BENCH_FLEET_SIZES ?? '10000'): number[] {
  if (value.trim() === '' || value.trim() === 'none') return [];
  return value.split(',').map((size) => {
    const parsed = Number(size);
    if (!Number.isInteger(parsed) || parsed < 100)
      throw new Error(`BENCH_FLEET_SIZES: ${size} is not a fleet size`);
    return parsed;
  });
}

export const autoStopHeader = ['containers', 'sweep', 'due found', 'items read', 'wall ms'];

const instantRuntime: ContainerRuntime = {
  registerTaskDefinition: async () => 'arn:aws:ecs:us-east-1:000000000000:task-definition/bench:1',
  deregisterTaskDefinition: async () => undefined,
  runTask: async () => ({
    taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/bench/1',
    lastStatus: 'PROVISIONING',
  }),
  stopTask: async () => undefined,
  describeTask: async () => undefined,
};

function fleet(size: number) {
  return Array.from({ length: size }, (_, index) => {
    const due = index % 100 === 0;
    const lastUsedAt = new Date(
      now.getTime() - (due ? 3_600_000 + index : (index % 1700) * 1000),
    ).toISOString();
    const createdAt = new Date(now.getTime() - 86_400_000).toISOString();
    return aContainer({
      id: newContainerId(new Date(createdAt)),
      createdAt,
      lastTransitionAt: createdAt,
      lastUsedAt,
      idleTimeoutSeconds: 1800,
      ownerId: `owner-${index % 500}`,
    });
  });
}

/** The sweep's rows, one table per size, in the DynamoDB Local at `endpoint`. */
export async function benchAutoStop(endpoint: string, sizes: readonly number[]): Promise<string[][]> {
  const rows: string[][] = [];
  for (const size of sizes) {
    const client = localDynamoDbClient(endpoint);
    const tableName = `bench-${size}`;
    await createTable(client, tableName);
    console.error(`[bench] writing ${size} containers...`);
    await writeFleet(client, tableName, fleet(size));

    console.error(`[bench] scan-based sweep over ${size}...`);
    const scanReads = countReads(client);
    const scanStarted = performance.now();
    let start: Record<string, unknown> | undefined;
    let scanDue = 0;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: '#status = :running AND attribute_exists(gsi5sk) AND gsi5sk <= :upTo',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':running': { S: 'running' },
            ':upTo': { S: `${now.toISOString()}#~` },
          },
          ExclusiveStartKey: start as never,
        }),
      );
      scanDue += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    const scanMs = performance.now() - scanStarted;
    rows.push([
      String(size),
      'Scan + filter (find only)',
      String(scanDue),
      String(scanReads.itemsRead),
      scanMs.toFixed(0),
    ]);

    console.error(`[bench] index sweep over ${size}...`);
    const indexClient = localDynamoDbClient(endpoint);
    const indexReads = countReads(indexClient);
    const repository = new DynamoDbContainerRepository(indexClient, { tableName, logRetentionDays: 90 });
    const sweepStarted = performance.now();
    const summary = await autoStopIdleContainers(
      {
        repository,
        runtime: instantRuntime,
        clock: { now: () => now },
        ids: randomIds,
        events: { publish: async () => undefined },
        settings: {
          containerQuota: 5,
          settleAfterSeconds: 300,
          idleWarningSeconds: 0,
          retentionSeconds: 86_400,
        },
      },
      { stopBy: new Date(now.getTime() + 600_000) },
    );
    const sweepMs = performance.now() - sweepStarted;
    rows.push([
      String(size),
      'sparse deadline index (find and stop)',
      String(summary.stopped),
      String(indexReads.itemsRead),
      sweepMs.toFixed(0),
    ]);
    client.destroy();
    indexClient.destroy();
  }
  return rows;
}

if (isMain(import.meta.url)) {
  const dynamoDb = await startDynamoDbLocal();
  try {
    console.log(formatTable(autoStopHeader, await benchAutoStop(dynamoDb.endpoint, fleetSizes())));
  } finally {
    await dynamoDb.stop();
  }
}
