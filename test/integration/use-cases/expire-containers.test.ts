import { DescribeTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../../lib/adapters/dynamodb/dynamodb-container-repository';
import { createEcsClient, EcsContainerRuntime } from '../../../lib/adapters/ecs/ecs-container-runtime';
import type { Container } from '../../../lib/domain/container';
import { operations } from '../../../lib/domain/operations';
import { randomIds } from '../../../lib/ports/id-generator';
import { createContainer } from '../../../lib/use-cases/create-container';
import { deleteContainer } from '../../../lib/use-cases/delete-container';
import type { Dependencies } from '../../../lib/use-cases/dependencies';
import { expireContainers } from '../../../lib/use-cases/expire-containers';
import { operateContainer } from '../../../lib/use-cases/operate-container';
import { type EcsEmulator, startEcsEmulator } from '../../../local/ecs-emulator';
import { aContainer, aCreateRequest } from '../../support/containers';
import { createTestTable, type TestTable } from '../../support/dynamodb';
import { countReads, writeFleet } from '../../support/fleet';

const now = new Date('2026-12-24T12:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const actor = { id: 'usr_alice', isAdmin: false };
const retentionSeconds = 30 * 86_400;

describe('the expiry of stopped containers', () => {
  let ecs: EcsEmulator;
  let ecsClient: ECSClient;
  let runtime: EcsContainerRuntime;
  let table: TestTable;
  let current: Date;

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    ecs = await startEcsEmulator({ startMs: 30, stopMs: 30, logger: { error: () => undefined } });
    ecsClient = createEcsClient({ endpoint: ecs.endpoint, region: ecs.region });
    runtime = new EcsContainerRuntime(ecsClient, {
      cluster: 'default',
      subnets: ['subnet-local'],
      securityGroups: [],
      assignPublicIp: true,
      taskDefinitionFamilyPrefix: 'clc',
    });
  });
  afterAll(async () => {
    ecsClient.destroy();
    await ecs.close();
  });
  beforeEach(async () => {
    table = await createTestTable();
    current = now;
    ecs.faults.clear();
  });

  function dependencies(): Dependencies {
    return {
      repository: repositoryOf(table),
      runtime,
      clock: { now: () => current },
      ids: randomIds,
      events: { publish: async () => undefined },
      settings: { containerQuota: 100, settleAfterSeconds: 300, idleWarningSeconds: 0, retentionSeconds },
    };
  }

  const expire = () => expireContainers(dependencies(), { stopBy: new Date(current.getTime() + 60_000) });

  /** A container created without starting `stoppedDaysAgo` days before now, with its task definition. */
  async function stoppedContainer(stoppedDaysAgo: number): Promise<Container> {
    current = daysAgo(stoppedDaysAgo);
    const { container } = await createContainer(dependencies(), aCreateRequest({ actor }));
    current = now;
    expect(container.status).toBe('stopped');
    return container;
  }

  async function stored(id: string): Promise<Container> {
    const container = await repositoryOf(table).getContainer(id);
    if (!container) throw new Error(`container ${id} is gone`);
    return container;
  }

  async function taskDefinitionStatus(arn: string | null) {
    const answer = await ecsClient.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn ?? '' }));
    return answer.taskDefinition?.status;
  }

  it('expires a container stopped for 31 days and releases its task definition', async () => {
    // Prepare
    const stopped = await stoppedContainer(31);

    // Act
    const summary = await expire();

    // Assess
    expect(summary).toEqual({ examined: 1, expired: 1, skipped: 0, failed: 0, failures: [], complete: true });
    expect(await stored(stopped.id)).toMatchObject({
      status: 'expired',
      expiresAt: now.toISOString(),
      taskDefinitionArn: null,
      version: stopped.version + 1,
    });
    expect(await taskDefinitionStatus(stopped.taskDefinitionArn)).toBe('INACTIVE');
    const logs = await repositoryOf(table).listStatusLogs({
      containerId: stopped.id,
      sortBy: 'created_at',
      order: 'asc',
      limit: 10,
    });
    expect(logs.items.at(-1)).toMatchObject({
      fromStatus: 'stopped',
      toStatus: 'expired',
      triggeredBy: 'reconciler',
      operation: null,
      reason: 'stopped for 31 days, past the retention of 30 days: expired',
      metadata: { released_task_definition_arn: stopped.taskDefinitionArn },
    });
  });

  it('refuses every operation, and the delete, on an expired container', async () => {
    // Prepare
    const stopped = await stoppedContainer(31);
    await expire();

    // Act
    const refusals = await Promise.all([
      ...operations.map((operation) =>
        operateContainer(dependencies(), { actor, containerId: stopped.id, operation }).catch((e) => e),
      ),
      deleteContainer(dependencies(), { actor, containerId: stopped.id }).catch((e) => e),
    ]);

    // Assess
    expect(refusals).toHaveLength(operations.length + 1);
    for (const refusal of refusals)
      expect(refusal).toMatchObject({ code: 'OPERATION_NOT_PERMITTED_ON_EXPIRED' });
    expect(await stored(stopped.id)).toMatchObject({ status: 'expired', version: stopped.version + 1 });
  });

  it('leaves a container stopped for 29 days as it is', async () => {
    // Prepare
    const stopped = await stoppedContainer(29);

    // Act
    const summary = await expire();

    // Assess
    expect(summary).toMatchObject({ examined: 0, expired: 0 });
    expect(await stored(stopped.id)).toEqual(stopped);
    expect(await taskDefinitionStatus(stopped.taskDefinitionArn)).toBe('ACTIVE');
  });

  it('keeps the container stopped, with its task definition, when ECS fails to release it, and expires it on the next run', async () => {
    // Prepare
    const stopped = await stoppedContainer(31);
    const fault = ecs.faults.inject({
      operation: 'DeregisterTaskDefinition',
      kind: 'serverError',
      times: Number.POSITIVE_INFINITY,
    });

    // Act
    const failing = await expire();
    const afterFailure = await stored(stopped.id);
    fault.clear();
    const next = await expire();

    // Assess
    expect(failing).toMatchObject({ examined: 1, expired: 0, failed: 1 });
    expect(failing.failures).toEqual([
      { containerId: stopped.id, error: expect.stringContaining('DeregisterTaskDefinition') },
    ]);
    expect(afterFailure).toEqual(stopped);
    expect(next).toMatchObject({ examined: 1, expired: 1, failed: 0 });
    expect(await stored(stopped.id)).toMatchObject({ status: 'expired', taskDefinitionArn: null });
    expect(await taskDefinitionStatus(stopped.taskDefinitionArn)).toBe('INACTIVE');
  });

  it('changes nothing on a second pass', async () => {
    // Prepare
    const stopped = await stoppedContainer(40);
    await expire();
    const expired = await stored(stopped.id);

    // Act
    const summary = await expire();

    // Assess
    expect(summary).toEqual({ examined: 0, expired: 0, skipped: 0, failed: 0, failures: [], complete: true });
    expect(await stored(stopped.id)).toEqual(expired);
  });

  it('reads only the containers that are due, and never scans', async () => {
    // Prepare: 2 due among 40 stopped recently and 40 running for long.
    const due = [await stoppedContainer(31), await stoppedContainer(90)];
    const recent = Array.from({ length: 40 }, (_, index) => {
      const since = daysAgo(index % 29).toISOString();
      return aContainer({
        status: 'stopped',
        task: null,
        ipAddress: null,
        createdAt: since,
        lastTransitionAt: since,
      });
    });
    const running = Array.from({ length: 40 }, () => {
      const since = daysAgo(60).toISOString();
      return aContainer({ status: 'running', createdAt: since, lastTransitionAt: since });
    });
    await writeFleet(table.client, table.tableName, [...recent, ...running]);
    const reads = countReads(table.client);

    // Act
    const summary = await expire();

    // Assess
    expect(summary).toMatchObject({ examined: 2, expired: 2 });
    expect(reads.scans).toBe(0);
    expect(reads.itemsRead).toBe(due.length);
  });

  it('starts no work once its time is up, and says it did not finish', async () => {
    // Prepare
    const stopped = await stoppedContainer(31);

    // Act
    const summary = await expireContainers(dependencies(), { stopBy: new Date(current.getTime() - 1) });

    // Assess
    expect(summary).toEqual({
      examined: 0,
      expired: 0,
      skipped: 0,
      failed: 0,
      failures: [],
      complete: false,
    });
    expect(await stored(stopped.id)).toMatchObject({ status: 'stopped' });
  });
});

function repositoryOf(table: TestTable) {
  return new DynamoDbContainerRepository(table.client, { tableName: table.tableName, logRetentionDays: 90 });
}
