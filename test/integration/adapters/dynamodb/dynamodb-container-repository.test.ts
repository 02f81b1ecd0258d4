import { randomUUID } from 'node:crypto';
import { GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerItem } from '../../../../lib/adapters/dynamodb/container-items';
import { DynamoDbContainerRepository } from '../../../../lib/adapters/dynamodb/dynamodb-container-repository';
import { CorruptItemError, type Item } from '../../../../lib/adapters/dynamodb/items';
import { containerKey, logKey, ownerKey } from '../../../../lib/adapters/dynamodb/keys';
import { logFromItem, logItem } from '../../../../lib/adapters/dynamodb/status-log-items';
import type { Container, StatusLog } from '../../../../lib/domain/container';
import { type ContainerStatus, containerStatuses } from '../../../../lib/domain/container-status';
import { DomainError } from '../../../../lib/domain/errors';
import {
  type ContainerListQuery,
  type LogSortKey,
  logSortKeys,
  type Page,
  type PagePosition,
  type SortOrder,
  VersionConflictError,
} from '../../../../lib/ports/container-repository';
import { aContainer, aTransition, historyOf } from '../../../support/containers';
import { createTestTable, type TestTable } from '../../../support/dynamodb';

const logRetentionDays = 30;
let table: TestTable;
let repository: DynamoDbContainerRepository;

beforeAll(async () => {
  table = await createTestTable();
  repository = new DynamoDbContainerRepository(table.client, {
    tableName: table.tableName,
    logRetentionDays,
  });
});

afterAll(() => {
  table.client.destroy();
});

type ListFilter = { readonly status?: ContainerStatus; readonly projectId?: string };

/** An owner of its own, so that tests sharing the table never see each other's containers. */
const newOwner = () => `usr_${randomUUID().slice(0, 8)}`;

const minutesAfter = (iso: string, minutes: number) =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** Stores a container, of a new owner unless told, with the history it is created with. */
async function storedWithLogs(overrides: Partial<Container> = {}, quota = 100) {
  const container = aContainer({ ownerId: newOwner(), ...overrides });
  const logs = historyOf(container);
  await repository.createContainer({ container, logs, quota });
  return { container, logs };
}

async function stored(overrides: Partial<Container> = {}, quota = 100): Promise<Container> {
  return (await storedWithLogs(overrides, quota)).container;
}

async function rawItem(key: { pk: string; sk: string }) {
  const { Item: item } = await table.client.send(
    new GetItemCommand({ TableName: table.tableName, Key: marshall(key), ConsistentRead: true }),
  );
  return item ? unmarshall(item) : undefined;
}

async function putRaw(item: Record<string, unknown>) {
  await table.client.send(new PutItemCommand({ TableName: table.tableName, Item: marshall(item) }));
}

/** Every log item of a container, read from the table itself rather than through an index. */
async function storedLogs(containerId: string): Promise<StatusLog[]> {
  const logs: StatusLog[] = [];
  let start: Item | undefined;
  do {
    const { Items = [], LastEvaluatedKey } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :log)',
        ExpressionAttributeValues: { ':pk': { S: containerKey(containerId).pk }, ':log': { S: 'LOG#' } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    logs.push(...Items.map(logFromItem));
    start = LastEvaluatedKey;
  } while (start);
  return logs;
}

/** The release items a container's deletes wrote, read from the table itself. */
async function releaseItems(containerId: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :release)',
      ExpressionAttributeValues: {
        ':pk': { S: containerKey(containerId).pk },
        ':release': { S: 'RELEASE#' },
      },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => unmarshall(item));
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Follows `next` from the first page to the last. */
async function walkByStart<T>(
  fetch: (start: PagePosition | undefined) => Promise<Page<T>>,
): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let start: PagePosition | undefined;
  do {
    const page = await fetch(start);
    pages.push(page);
    start = page.next;
    if (pages.length > 1000) throw new Error('pagination never ends');
  } while (start);
  return pages;
}

/** Asks for page 1, 2, ... by the number of items to skip, until a page says nothing follows. */
async function walkBySkip<T>(limit: number, fetch: (skip: number) => Promise<Page<T>>): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let page: Page<T>;
  do {
    page = await fetch(pages.length * limit);
    pages.push(page);
    if (pages.length > 1000) throw new Error('pagination never ends');
  } while (page.next);
  return pages;
}

async function listAll(query: Omit<ContainerListQuery, 'limit' | 'order'>): Promise<Container[]> {
  const pages = await walkByStart((start) =>
    repository.listContainers({ ...query, order: 'desc', limit: 100, start }),
  );
  return pages.flatMap((page) => page.items);
}

describe('DynamoDbContainerRepository', () => {
  describe('createContainer', () => {
    it.each([
      [
        'every optional field set',
        {
          status: 'starting',
          version: 2,
          pendingOperation: {
            operation: 'create',
            requestedAt: '2026-11-22T10:30:00.000Z',
            transitionId: randomUUID(),
          },
          expiresAt: '2026-12-22T10:30:00.000Z',
        },
      ],
      [
        'every nullable field null',
        {
          status: 'stopped',
          statusReason: 'created without starting',
          command: null,
          environment: {},
          idleTimeoutSeconds: null,
          taskDefinitionArn: null,
          ipAddress: null,
          launchVersion: null,
          task: null,
          pendingOperation: null,
          expiresAt: null,
          idleWarningFor: null,
          lastActivitySource: null,
          snoozedUntil: null,
        },
      ],
      [
        'a snooze and the source of its last activity',
        { lastActivitySource: 'activity', snoozedUntil: '2026-11-22T12:00:00.000Z' },
      ],
    ] satisfies Array<[string, Partial<Container>]>)(
      'stores a container with %s and its first logs; getContainer reads back the same container',
      async (_, overrides) => {
        // Prepare
        const container = aContainer({ ownerId: newOwner(), ...overrides });
        const logs = historyOf(container);

        // Act
        await repository.createContainer({ container, logs, quota: 5 });

        // Assess
        expect(await repository.getContainer(container.id)).toEqual(container);
        expect(await storedLogs(container.id)).toEqual(logs);
        const owner = await repository.getOwner(container.ownerId);
        expect(owner.containerCount).toBe(1);
        expect(owner.countOf({ status: container.status, projectId: container.projectId })).toBe(1);
      },
    );

    it('getContainer answers undefined for an id that was never stored', async () => {
      // Act
      const container = await repository.getContainer(aContainer().id);

      // Assess
      expect(container).toBeUndefined();
    });

    it('throws QUOTA_EXCEEDED on the create past the quota and stores nothing of it; a delete frees a place', async () => {
      // Prepare
      const ownerId = newOwner();
      const first = await stored({ ownerId }, 2);
      await stored({ ownerId }, 2);
      const ownerBefore = await rawItem(ownerKey(ownerId));
      const third = aContainer({ ownerId });

      // Act
      const error = await rejectionOf(
        repository.createContainer({ container: third, logs: historyOf(third), quota: 2 }),
      );

      // Assess
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { limit: 2 } });
      expect(await repository.getContainer(third.id)).toBeUndefined();
      expect(await storedLogs(third.id)).toEqual([]);
      expect(await rawItem(ownerKey(ownerId))).toEqual(ownerBefore);
      expect(ownerBefore).toMatchObject({ count_all: 2 });

      // Act
      await repository.deleteContainer(first);
      await repository.createContainer({ container: third, logs: historyOf(third), quota: 2 });

      // Assess
      expect(await repository.getContainer(third.id)).toEqual(third);
      expect((await repository.getOwner(ownerId)).containerCount).toBe(2);
    });

    it('frees the place of a container that expires, since an expired one can be neither used nor deleted', async () => {
      // Prepare
      const ownerId = `owner-${randomUUID()}`;
      const first = await stored({ ownerId, status: 'stopped' }, 1);
      const refused = await rejectionOf(stored({ ownerId }, 1));

      // Act
      await repository.saveTransition(aTransition(first, { to: 'expired' }));
      const second = await stored({ ownerId }, 1);

      // Assess
      expect(refused).toMatchObject({ code: 'QUOTA_EXCEEDED' });
      expect(await repository.getContainer(second.id)).toBeDefined();
      const owner = await repository.getOwner(ownerId);
      expect(owner.containerCount).toBe(1);
      expect(owner.countOf({})).toBe(2);
    });

    it('lets parallel creates of one owner reach the quota exactly and refuses the rest with QUOTA_EXCEEDED', async () => {
      // Prepare
      const ownerId = newOwner();
      const containers = Array.from({ length: 8 }, () => aContainer({ ownerId }));

      // Act
      const outcomes = await Promise.allSettled(
        containers.map((container) =>
          repository.createContainer({ container, logs: historyOf(container), quota: 3 }),
        ),
      );

      // Assess
      const created = containers.filter((_, index) => outcomes[index]?.status === 'fulfilled');
      const refusals = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      expect(created).toHaveLength(3);
      for (const refusal of refusals)
        expect(refusal).toMatchObject({ name: 'DomainError', code: 'QUOTA_EXCEEDED' });
      expect((await repository.getOwner(ownerId)).containerCount).toBe(3);
      expect((await listAll({ ownerId })).map((container) => container.id).sort()).toEqual(
        created.map((container) => container.id).sort(),
      );
    });

    it('throws ACCOUNT_BANNED for a banned owner and writes nothing', async () => {
      // Prepare
      const ownerId = newOwner();
      await putRaw({ ...ownerKey(ownerId), banned: true });
      const container = aContainer({ ownerId });

      // Act
      const error = await rejectionOf(
        repository.createContainer({ container, logs: historyOf(container), quota: 5 }),
      );

      // Assess
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'ACCOUNT_BANNED' });
      expect(await repository.getContainer(container.id)).toBeUndefined();
      expect(await storedLogs(container.id)).toEqual([]);
      expect(await rawItem(ownerKey(ownerId))).toEqual({ ...ownerKey(ownerId), banned: true });
    });

    it('gives every log item a ttl of its created_at plus the retention days, and the container none', async () => {
      // Prepare
      const container = aContainer({ ownerId: newOwner(), createdAt: '2026-11-22T10:30:00.999Z' });
      const expectedTtl =
        Math.floor(Date.parse('2026-11-22T10:30:00.999Z') / 1000) + logRetentionDays * 86_400;

      // Act
      await repository.createContainer({ container, logs: historyOf(container), quota: 5 });
      const next = aTransition(container, { to: 'stopping', recordedAt: '2026-11-23T08:00:00.000Z' });
      await repository.saveTransition(next);

      // Assess
      expect(await rawItem(logKey(container.id, 1))).toMatchObject({ ttl: expectedTtl });
      expect(await rawItem(logKey(container.id, 2))).toMatchObject({
        ttl: Date.parse('2026-11-23T08:00:00.000Z') / 1000 + logRetentionDays * 86_400,
      });
      expect(await rawItem(containerKey(container.id))).not.toHaveProperty('ttl');
    });
  });

  describe('saveTransition', () => {
    it('writes the new container, its log entry and the moved counters together', async () => {
      // Prepare
      const { container: before, logs } = await storedWithLogs({ status: 'running' });
      const next = aTransition(before, {
        to: 'stopping',
        operation: 'stop',
        reason: 'stop requested',
        metadata: {
          kept: ['configuration'],
          lost: [],
          exit_code: 0,
          task: { arn: null, last_status: 'RUNNING' },
        },
      });

      // Act
      await repository.saveTransition(next);

      // Assess
      expect(await repository.getContainer(before.id)).toEqual(next.after);
      expect(await storedLogs(before.id)).toEqual([...logs, next.log]);
      const owner = await repository.getOwner(before.ownerId);
      expect(owner.countOf({ status: 'running' })).toBe(0);
      expect(owner.countOf({ status: 'stopping' })).toBe(1);
      expect(owner.countOf({ status: 'stopping', projectId: before.projectId })).toBe(1);
      expect(owner.containerCount).toBe(1);
    });

    it('throws VersionConflictError for a stale container and writes neither container nor log nor counters', async () => {
      // Prepare
      const before = await stored({ status: 'running' });
      const winner = aTransition(before, { to: 'stopping' });
      await repository.saveTransition(winner);
      const ownerAfterWinner = await rawItem(ownerKey(before.ownerId));
      const stale = aTransition(before, { to: 'pausing' });

      // Act
      const error = await rejectionOf(repository.saveTransition(stale));

      // Assess
      expect(error).toBeInstanceOf(VersionConflictError);
      expect(await repository.getContainer(before.id)).toEqual(winner.after);
      const logs = await storedLogs(before.id);
      expect(logs.map((log) => log.id)).not.toContain(stale.log.id);
      expect(logs.at(-1)).toEqual(winner.log);
      expect(await rawItem(ownerKey(before.ownerId))).toEqual(ownerAfterWinner);
    });

    it('throws VersionConflictError for a deleted container, leaving no log and no container behind', async () => {
      // Prepare
      const before = await stored({ status: 'running' });
      await repository.deleteContainer(before);

      // Act
      const error = await rejectionOf(repository.saveTransition(aTransition(before, { to: 'stopping' })));

      // Assess
      expect(error).toBeInstanceOf(VersionConflictError);
      expect(await repository.getContainer(before.id)).toBeUndefined();
      expect(await rawItem(logKey(before.id, before.version + 1))).toBeUndefined();
      const owner = await repository.getOwner(before.ownerId);
      expect(owner.containerCount).toBe(0);
      expect(owner.countOf({ status: 'stopping' })).toBe(0);
    });

    it('throws ACCOUNT_BANNED for a step that must have an owner in good standing, and writes nothing', async () => {
      // Prepare
      const { container: before, logs } = await storedWithLogs({ status: 'stopped' });
      await table.client.send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: marshall(ownerKey(before.ownerId)),
          UpdateExpression: 'SET banned = :true',
          ExpressionAttributeValues: { ':true': { BOOL: true } },
        }),
      );
      const ownerBefore = await rawItem(ownerKey(before.ownerId));

      // Act
      const error = await rejectionOf(
        repository.saveTransition(aTransition(before, { to: 'starting' }), {
          ownerMustBeInGoodStanding: true,
        }),
      );

      // Assess
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'ACCOUNT_BANNED' });
      expect(await repository.getContainer(before.id)).toEqual(before);
      expect(await storedLogs(before.id)).toEqual(logs);
      expect(await rawItem(logKey(before.id, before.version + 1))).toBeUndefined();
      expect(await rawItem(ownerKey(before.ownerId))).toEqual(ownerBefore);
    });

    it("still writes a banned owner's stops: stopping what runs must never be refused", async () => {
      // Prepare
      const before = await stored({ status: 'running' });
      await table.client.send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: marshall(ownerKey(before.ownerId)),
          UpdateExpression: 'SET banned = :true',
          ExpressionAttributeValues: { ':true': { BOOL: true } },
        }),
      );

      // Act
      await repository.saveTransition(aTransition(before, { to: 'stopping' }));

      // Assess
      expect(await repository.getContainer(before.id)).toMatchObject({
        status: 'stopping',
        version: before.version + 1,
      });
    });

    it('serialises 50 parallel read-transition-save loops into versions 2..51 without a gap or a duplicate', async () => {
      // Prepare
      const container = await stored({ status: 'running' });
      const workers = 50;
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const flipOnce = async (worker: number) => {
        for (let attempt = 1; attempt <= 100; attempt += 1) {
          const current = await repository.getContainer(container.id);
          if (!current) throw new Error('the container disappeared');
          const next = aTransition(current, {
            to: current.status === 'running' ? 'stopping' : 'running',
            triggeredBy: 'reconciler',
            metadata: { worker },
          });
          try {
            await repository.saveTransition(next);
            return attempt;
          } catch (error) {
            if (!(error instanceof VersionConflictError)) throw error;
            // DynamoDB Local runs one transaction at a time and a lost race costs a whole one:
            // a jittered wait that grows with the attempts thins the crowd.
            await sleep(Math.random() * 250 * Math.min(attempt, 4));
          }
        }
        throw new Error(`worker ${worker} never won`);
      };

      // Act
      const attempts = await Promise.all(Array.from({ length: workers }, (_, worker) => flipOnce(worker)));

      // Assess
      expect(Math.max(...attempts)).toBeGreaterThan(1);
      const logs = await storedLogs(container.id);
      expect(logs.map((log) => log.version)).toEqual(
        Array.from({ length: workers + 1 }, (_, index) => index + 1),
      );
      expect(new Set(logs.slice(1).map((log) => log.metadata.worker)).size).toBe(workers);
      for (const [index, log] of logs.entries()) {
        if (index > 0) expect(log.fromStatus).toBe(logs[index - 1]?.toStatus);
      }
      const last = logs.at(-1);
      const final = await repository.getContainer(container.id);
      expect(final?.version).toBe(workers + 1);
      expect(final?.status).toBe(last?.toStatus);
      expect(final?.status).toBe('running');
      expect(final?.lastTransitionAt).toBe(last?.transitionTime);
      const owner = await repository.getOwner(container.ownerId);
      expect(owner.countOf({ status: 'running' })).toBe(1);
      expect(owner.countOf({ status: 'stopping' })).toBe(0);
    }, 90_000);
  });

  describe('deleteContainer', () => {
    it('throws VersionConflictError for a container read before its last transition and keeps it', async () => {
      // Prepare
      const before = await stored({ status: 'running' });
      const next = aTransition(before, { to: 'stopping' });
      await repository.saveTransition(next);

      // Act
      const error = await rejectionOf(repository.deleteContainer(before));

      // Assess
      expect(error).toBeInstanceOf(VersionConflictError);
      expect(await repository.getContainer(before.id)).toEqual(next.after);
      expect((await repository.getOwner(before.ownerId)).containerCount).toBe(1);
      expect(await releaseItems(before.id)).toEqual([]);
    });

    it('writes, in the same transaction, a release item naming the task definition, kept 14 days', async () => {
      // Prepare
      const container = await stored({ status: 'stopped' });
      const before = Math.floor(Date.now() / 1000);

      // Act
      await repository.deleteContainer(container);

      // Assess
      expect(await repository.getContainer(container.id)).toBeUndefined();
      const [release, ...others] = await releaseItems(container.id);
      expect(others).toEqual([]);
      expect(release).toMatchObject({
        pk: `CONTAINER#${container.id}`,
        sk: `RELEASE#${container.taskDefinitionArn}`,
        kind: 'task-definition-release',
        container_id: container.id,
        task_definition_arn: container.taskDefinitionArn,
      });
      expect(release?.ttl).toBeGreaterThanOrEqual(before + 14 * 86_400);
      expect(release?.ttl).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 14 * 86_400);
      expect(Object.keys(release ?? {}).filter((name) => name.startsWith('gsi'))).toEqual([]);
    });

    it('writes no release item for a container that holds no task definition', async () => {
      // Prepare
      const container = await stored({ status: 'stopped', taskDefinitionArn: null });

      // Act
      await repository.deleteContainer(container);

      // Assess
      expect(await repository.getContainer(container.id)).toBeUndefined();
      expect(await releaseItems(container.id)).toEqual([]);
    });
  });

  describe('saveWithoutTransition', () => {
    /** What ECS last reported of a task, at ECS's version `eventVersion`. */
    const reported = (eventVersion: number, arn: string | null = 'arn:aws:ecs:us-east-1:0:task/c/new') => ({
      arn,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      stopCode: null,
      stoppedReason: null,
      eventVersion,
    });

    it.each<[string, Partial<Container>, Partial<Container>]>([
      ['a relaunch', {}, { launchVersion: 5, task: null }],
      ['a later event of the task', { task: reported(1) }, { task: reported(2) }],
      ['the first report of a new task', { task: null }, { task: reported(0) }],
      [
        'a later event of a task whose ARN is unknown',
        { task: reported(1, null) },
        { task: reported(2, null) },
      ],
    ])(
      'refuses the second of two writes decided on one read when the first recorded %s, and keeps the first',
      async (_what, initial, first) => {
        // Prepare
        const read = await stored(initial);
        await repository.saveWithoutTransition(read, { ...read, ...first });

        // Act
        const error = await rejectionOf(
          repository.saveWithoutTransition(read, { ...read, ipAddress: '10.0.0.9' }),
        );

        // Assess
        expect(error).toBeInstanceOf(VersionConflictError);
        expect(await repository.getContainer(read.id)).toEqual({ ...read, ...first });
      },
    );
  });

  describe('owner counters', () => {
    const projects = ['p1', 'p2'];

    /** Counter, listing and the test's own model agree for every status and project filter. */
    async function expectTotalsToMatch(ownerId: string, model: readonly Container[]) {
      const owner = await repository.getOwner(ownerId);
      expect(owner.containerCount).toBe(model.length);
      expect((await listAll({ ownerId })).length).toBe(model.length);
      for (const projectId of [undefined, ...projects]) {
        for (const status of [undefined, ...containerStatuses]) {
          const expected = model.filter(
            (container) =>
              (status === undefined || container.status === status) &&
              (projectId === undefined || container.projectId === projectId),
          ).length;
          const listed = await listAll({ ownerId, status, projectId });
          expect({
            status,
            projectId,
            counted: owner.countOf({ status, projectId }),
            listed: listed.length,
          }).toEqual({
            status,
            projectId,
            counted: expected,
            listed: expected,
          });
        }
      }
    }

    it('keep list totals exact across creates in two projects, transitions and deletes', async () => {
      // Prepare
      const ownerId = newOwner();
      const model = new Map<string, Container>();
      const specs: Array<[string, ContainerStatus]> = [
        ['p1', 'running'],
        ['p1', 'stopped'],
        ['p1', 'running'],
        ['p2', 'running'],
        ['p2', 'paused'],
        ['p2', 'error'],
      ];

      // Act
      for (const [projectId, status] of specs) {
        const container = await stored({ ownerId, projectId, status });
        model.set(container.id, container);
      }

      // Assess
      await expectTotalsToMatch(ownerId, [...model.values()]);

      // Act
      const [a, b, , d, e] = [...model.values()];
      for (const [before, to] of [
        [a, 'stopping'],
        [b, 'starting'],
        [d, 'stopped'],
        [e, 'resuming'],
      ] as const) {
        if (!before) throw new Error('missing fixture');
        const next = aTransition(before, { to });
        await repository.saveTransition(next);
        model.set(before.id, next.after);
      }

      // Assess
      await expectTotalsToMatch(ownerId, [...model.values()]);

      // Act
      for (const id of [a?.id, e?.id]) {
        const current = model.get(id ?? '');
        if (!current) throw new Error('missing fixture');
        await repository.deleteContainer(current);
        model.delete(current.id);
      }

      // Assess
      await expectTotalsToMatch(ownerId, [...model.values()]);
    });
  });

  describe('listContainers', () => {
    const ownerId = newOwner();
    const createdAt = '2026-11-22T10:00:00.000Z';
    /** Seven containers, created one minute apart, stored out of order. */
    const specs: Array<[number, string, ContainerStatus]> = [
      [3, 'p1', 'running'],
      [0, 'p1', 'stopped'],
      [6, 'p2', 'running'],
      [1, 'p2', 'running'],
      [5, 'p1', 'running'],
      [2, 'p2', 'paused'],
      [4, 'p1', 'stopped'],
    ];
    let containers: Container[];

    beforeAll(async () => {
      containers = [];
      for (const [minute, projectId, status] of specs) {
        containers.push(
          await stored({ ownerId, projectId, status, createdAt: minutesAfter(createdAt, minute) }),
        );
      }
      await stored({ ownerId: newOwner(), projectId: 'p1', status: 'running', createdAt });
    });

    const byMinute = () => [...containers].sort((a, b) => a.createdAt.localeCompare(b.createdAt));

    it("lists the owner's containers newest first with desc, oldest first with asc", async () => {
      // Act
      const desc = await repository.listContainers({ ownerId, order: 'desc', limit: 20 });
      const asc = await repository.listContainers({ ownerId, order: 'asc', limit: 20 });

      // Assess
      expect(desc.items).toEqual(byMinute().reverse());
      expect(asc.items).toEqual(byMinute());
      expect(desc.next).toBeUndefined();
    });

    const filters: Array<[string, ListFilter]> = [
      ['status', { status: 'running' }],
      ['project', { projectId: 'p1' }],
      ['project and status', { projectId: 'p2', status: 'running' }],
      ['a status nobody has', { status: 'error' }],
    ];

    it.each(filters)('filters by %s: exactly the matching containers, newest first', async (_, filter) => {
      // Prepare
      const expected = byMinute()
        .reverse()
        .filter(
          (container) =>
            (filter.status === undefined || container.status === filter.status) &&
            (filter.projectId === undefined || container.projectId === filter.projectId),
        );

      // Act
      const page = await repository.listContainers({ ownerId, ...filter, order: 'desc', limit: 20 });

      // Assess
      expect(page.items).toEqual(expected);
      expect(page.items.length).toBeLessThan(containers.length);
    });

    it('moves a container between status lists when its status changes', async () => {
      // Prepare
      const owner = newOwner();
      const container = await stored({ ownerId: owner, projectId: 'p1', status: 'running' });
      const next = aTransition(container, { to: 'stopping' });

      // Act
      await repository.saveTransition(next);

      // Assess
      expect(await listAll({ ownerId: owner, status: 'running' })).toEqual([]);
      expect(await listAll({ ownerId: owner, projectId: 'p1', status: 'running' })).toEqual([]);
      expect(await listAll({ ownerId: owner, status: 'stopping' })).toEqual([next.after]);
      expect(await listAll({ ownerId: owner, projectId: 'p1', status: 'stopping' })).toEqual([next.after]);
      expect(await listAll({ ownerId: owner, projectId: 'p1' })).toEqual([next.after]);
    });

    it('gives next only when another item follows: none at exactly limit items, one at limit - 1', async () => {
      // Act
      const exactly = await repository.listContainers({ ownerId, order: 'desc', limit: 7 });
      const oneShort = await repository.listContainers({ ownerId, order: 'desc', limit: 6 });
      const filteredExactly = await repository.listContainers({
        ownerId,
        status: 'running',
        order: 'asc',
        limit: 4,
      });

      // Assess
      expect(exactly.items).toHaveLength(7);
      expect(exactly.next).toBeUndefined();
      expect(oneShort.items).toHaveLength(6);
      expect(oneShort.next).toBeDefined();
      expect(filteredExactly.items).toHaveLength(4);
      expect(filteredExactly.next).toBeUndefined();
    });

    it.each([1, 2, 3, 6, 7, 10])(
      'walking pages of %i by start returns every container once, in order',
      async (limit) => {
        // Act
        const pages = await walkByStart((start) =>
          repository.listContainers({ ownerId, order: 'desc', limit, start }),
        );

        // Assess
        expect(pages.flatMap((page) => page.items)).toEqual(byMinute().reverse());
        expect(pages.slice(0, -1).every((page) => page.items.length === limit)).toBe(true);
        expect(pages.at(-1)?.next).toBeUndefined();
        expect(pages).toHaveLength(Math.max(1, Math.ceil(containers.length / limit)));
      },
    );

    const pagedFilters: Array<[number, ListFilter]> = [
      [2, {}],
      [3, { projectId: 'p1' }],
      [1, { status: 'running' }],
      [1, { projectId: 'p1', status: 'running' }],
    ];

    it.each(pagedFilters)(
      'page numbers (skip) give the same pages of %i as walking, filter %o',
      async (limit, filter) => {
        // Prepare
        const walked = await walkByStart((start) =>
          repository.listContainers({ ownerId, ...filter, order: 'asc', limit, start }),
        );

        // Act
        const skipped = await walkBySkip(limit, (skip) =>
          repository.listContainers({ ownerId, ...filter, order: 'asc', limit, skip }),
        );

        // Assess
        expect(skipped.map((page) => page.items)).toEqual(walked.map((page) => page.items));
        expect(skipped.map((page) => page.next === undefined)).toEqual(
          walked.map((page) => page.next === undefined),
        );
        expect(walked.length).toBeGreaterThan(1);
      },
    );

    it.each([7, 10])('answers an empty page for a skip of %i, at or past the end', async (skip) => {
      // Act
      const page = await repository.listContainers({ ownerId, order: 'desc', limit: 5, skip });

      // Assess
      expect(page).toEqual({ items: [], next: undefined });
    });
  });

  describe('listStatusLogs', () => {
    const transitions = 250;
    const started = '2026-11-22T10:00:00.000Z';
    const cycle: ContainerStatus[] = [
      'starting',
      'running',
      'pausing',
      'paused',
      'resuming',
      'running',
      'restarting',
      'running',
      'stopping',
      'stopped',
      'error',
    ];
    let containerId: string;
    let history: StatusLog[];

    beforeAll(async () => {
      const created = await storedWithLogs({ status: 'creating', createdAt: minutesAfter(started, -60) });
      let current = created.container;
      containerId = current.id;
      history = [...created.logs];
      for (let step = 1; step <= transitions; step += 1) {
        // Not monotonic and with ties, so that each sort order differs from version order.
        const next = aTransition(current, {
          to: cycle[step % cycle.length] ?? 'running',
          at: minutesAfter(started, (step * 37) % 101),
          recordedAt: minutesAfter(started, 24 * 60 + ((step * 53) % 89)),
        });
        await repository.saveTransition(next);
        history.push(next.log);
        current = next.after;
      }
    }, 60_000);

    const sortKeyOf: Record<LogSortKey, (log: StatusLog) => ReadonlyArray<string | number>> = {
      transition_time: (log) => [log.transitionTime, log.version],
      created_at: (log) => [log.createdAt, log.version],
      // Within one status, entries follow their transition time, then their version.
      to_status: (log) => [log.toStatus, log.transitionTime, log.version],
      from_status: (log) => [log.fromStatus ?? '', log.transitionTime, log.version],
    };

    function sortedBy(sortBy: LogSortKey, order: SortOrder): StatusLog[] {
      const key = sortKeyOf[sortBy];
      const ascending = [...history].sort((a, b) => {
        const [left, right] = [key(a), key(b)];
        for (const [index, value] of left.entries()) {
          const other = right[index] ?? '';
          if (value < other) return -1;
          if (value > other) return 1;
        }
        return 0;
      });
      return order === 'asc' ? ascending : ascending.reverse();
    }

    it('holds a history whose sort orders all differ from one another and from version order', () => {
      // Act
      const orders = logSortKeys.map((sortBy) =>
        sortedBy(sortBy, 'asc')
          .map((log) => log.version)
          .join(','),
      );

      // Assess
      expect(history).toHaveLength(transitions + 1);
      expect(new Set([...orders, history.map((log) => log.version).join(',')]).size).toBe(
        logSortKeys.length + 1,
      );
    });

    const cases = logSortKeys.flatMap((sortBy) =>
      (['asc', 'desc'] as const).map((order) => ({ sortBy, order })),
    );

    it.each(cases)(
      'walking by start, sorted by $sortBy $order, returns every entry once in that order',
      async ({ sortBy, order }) => {
        // Act
        const pages = await walkByStart((start) =>
          repository.listStatusLogs({ containerId, sortBy, order, limit: 10, start }),
        );

        // Assess
        expect(pages.flatMap((page) => page.items)).toEqual(sortedBy(sortBy, order));
        expect(pages).toHaveLength(Math.ceil((transitions + 1) / 10));
      },
    );

    it.each(cases)(
      'page numbers (skip), sorted by $sortBy $order, give the pages that walking gives',
      async ({ sortBy, order }) => {
        // Prepare
        const expected = sortedBy(sortBy, order);

        // Act
        const pages = await walkBySkip(25, (skip) =>
          repository.listStatusLogs({ containerId, sortBy, order, limit: 25, skip }),
        );

        // Assess
        expect(pages.map((page) => page.items)).toEqual(
          Array.from({ length: Math.ceil(expected.length / 25) }, (_, index) =>
            expected.slice(index * 25, index * 25 + 25),
          ),
        );
        expect(pages.at(-1)?.next).toBeUndefined();
      },
    );
  });

  describe('items written before the idle fields', () => {
    it('reads an item without last_activity_source, snoozed_until or idle_warning_for as null, and writes over it', async () => {
      // Prepare
      const container = aContainer({ ownerId: newOwner() });
      const {
        last_activity_source: _source,
        snoozed_until: _snooze,
        idle_warning_for: _warning,
        ...old
      } = unmarshall(containerItem(container));
      await putRaw(old);

      // Act
      const read = await repository.getContainer(container.id);
      if (!read) throw new Error('missing container');
      await repository.saveWithoutTransition(read, { ...read, snoozedUntil: '2026-11-22T12:00:00.000Z' });

      // Assess
      expect(read).toEqual({
        ...container,
        lastActivitySource: null,
        snoozedUntil: null,
        idleWarningFor: null,
      });
      expect((await repository.getContainer(container.id))?.snoozedUntil).toBe('2026-11-22T12:00:00.000Z');
    });

    it('refuses a write decided on a read from before a snooze', async () => {
      // Prepare
      const container = await stored();
      await repository.saveWithoutTransition(container, {
        ...container,
        snoozedUntil: '2026-11-22T12:00:00.000Z',
      });

      // Act
      const error = await rejectionOf(repository.saveTransition(aTransition(container, { to: 'stopping' })));

      // Assess
      expect(error).toBeInstanceOf(VersionConflictError);
    });
  });

  describe('corrupt items', () => {
    it.each([
      ['an unknown status', (item: Record<string, unknown>) => ({ ...item, status: 'exploded' })],
      [
        'missing fields',
        (item: Record<string, unknown>) => ({ pk: item.pk, sk: item.sk, kind: 'container', id: item.id }),
      ],
      ['a version that is not a number', (item: Record<string, unknown>) => ({ ...item, version: 'seven' })],
      ['a task of the wrong shape', (item: Record<string, unknown>) => ({ ...item, task: { arn: 42 } })],
    ])(
      'getContainer throws CorruptItemError naming the key for a container item with %s',
      async (_, corrupt) => {
        // Prepare
        const container = aContainer({ ownerId: newOwner() });
        await putRaw(corrupt(unmarshall(containerItem(container))));

        // Act
        const error = await rejectionOf(repository.getContainer(container.id));

        // Assess
        expect(error).toBeInstanceOf(CorruptItemError);
        expect((error as Error).message).toContain(containerKey(container.id).pk);
      },
    );

    it('listStatusLogs throws CorruptItemError for a log item with an unknown trigger', async () => {
      // Prepare
      const container = await stored();
      const [first] = historyOf(container);
      if (!first) throw new Error('missing fixture');
      await putRaw({ ...unmarshall(logItem({ ...first, version: 2 }, 0)), triggered_by: 'gremlins' });

      // Act
      const error = await rejectionOf(
        repository.listStatusLogs({
          containerId: container.id,
          sortBy: 'transition_time',
          order: 'asc',
          limit: 10,
        }),
      );

      // Assess
      expect(error).toBeInstanceOf(CorruptItemError);
    });
  });
});
