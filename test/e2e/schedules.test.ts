import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../lib/adapters/dynamodb/dynamodb-container-repository';
import { DynamoDbScheduleRepository } from '../../lib/adapters/dynamodb/dynamodb-schedule-repository';
import { createEcsClient, EcsContainerRuntime } from '../../lib/adapters/ecs/ecs-container-runtime';
import { randomIds } from '../../lib/ports/id-generator';
import { applySchedules } from '../../lib/use-cases/apply-schedules';
import { tableWiringOnce } from '../../lib/wiring/table';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';
const officeHours = {
  time_zone: 'Europe/Berlin',
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', stop: '19:00' }],
};

describe('weekly schedules through the gateway', () => {
  let stack: LocalStack;
  let names = 0;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 50 });
  });
  afterAll(async () => {
    await stack.close();
  });

  async function newContainer(body: Record<string, unknown> = {}, as = 'alice'): Promise<string> {
    names += 1;
    const created = await stack.api('POST', '/v1/containers', {
      as,
      body: { name: `sched-${names}`, image, ...body },
    });
    expect(created.status).toBe(201);
    return created.body.data.id;
  }

  /** Drives the sweep as the auto-stop function would, at a time the test chooses. */
  function sweepAt(at: Date) {
    const runtime = new EcsContainerRuntime(
      createEcsClient({ endpoint: stack.ecs.endpoint, region: 'us-east-1' }),
      {
        cluster: 'default',
        subnets: ['subnet-local'],
        securityGroups: ['sg-local'],
        assignPublicIp: true,
        taskDefinitionFamilyPrefix: 'clc',
      },
    );
    return applySchedules(
      {
        repository: new DynamoDbContainerRepository(stack.dynamoDb, {
          tableName: stack.tableName,
          logRetentionDays: 90,
        }),
        schedules: new DynamoDbScheduleRepository(stack.dynamoDb, {
          tableName: stack.tableName,
          scheduleLimit: 50,
        }),
        runtime,
        clock: { now: () => at },
        ids: randomIds,
        settings: {
          containerQuota: 50,
          settleAfterSeconds: 300,
          idleWarningSeconds: 0,
          retentionSeconds: 86_400,
        },
      },
      { stopBy: new Date(at.getTime() + 60_000) },
    );
  }

  /** A daily window from hours ago to hours from now, in UTC: the next transition is its stop. */
  function windowAroundNow(hoursBefore = 1, hoursAfter = 1) {
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    return {
      time_zone: 'UTC',
      windows: [
        {
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          start: hhmm(Date.now() - hoursBefore * 3_600_000),
          stop: hhmm(Date.now() + hoursAfter * 3_600_000),
        },
      ],
    };
  }

  describe('PUT, GET and DELETE /v1/containers/{id}/schedule', () => {
    it('creates a schedule (201), replaces it (200) and shows it with its next transition', async () => {
      // Prepare
      const id = await newContainer({ start: false });

      // Act
      const created = await stack.api('PUT', `/v1/containers/${id}/schedule`, { body: officeHours });
      const replaced = await stack.api('PUT', `/v1/containers/${id}/schedule`, {
        body: { ...officeHours, time_zone: 'America/New_York' },
      });
      const shown = await stack.api('GET', `/v1/containers/${id}/schedule`);

      // Assess
      expect(created.status).toBe(201);
      expect(replaced.status).toBe(200);
      expect(shown.status).toBe(200);
      expect(shown.body.data).toMatchObject({
        source: 'container',
        container_id: id,
        project_id: 'default',
        time_zone: 'America/New_York',
        windows: officeHours.windows,
        created_at: created.body.data.created_at,
      });
      expect(Date.parse(shown.body.data.next_transition.at)).toBeGreaterThan(Date.now());
      expect(shown.body.data.next_transition.local_time).toMatch(/T(08|19):00:00-0[45]:00$/);
    });

    it('answers 404 SCHEDULE_NOT_FOUND when neither the container nor its project has one', async () => {
      const id = await newContainer({ start: false, project_id: 'unscheduled' });

      const shown = await stack.api('GET', `/v1/containers/${id}/schedule`);
      const deleted = await stack.api('DELETE', `/v1/containers/${id}/schedule`);

      expect(shown.status).toBe(404);
      expect(shown.body.error.code).toBe('SCHEDULE_NOT_FOUND');
      expect(deleted.status).toBe(404);
      expect(deleted.body.error.code).toBe('SCHEDULE_NOT_FOUND');
    });

    it("answers 404 CONTAINER_NOT_FOUND for another owner's container, on every schedule route", async () => {
      const id = await newContainer({ start: false });
      await stack.api('PUT', `/v1/containers/${id}/schedule`, { body: officeHours });

      const answers = await Promise.all([
        stack.api('PUT', `/v1/containers/${id}/schedule`, { as: 'bob', body: officeHours }),
        stack.api('GET', `/v1/containers/${id}/schedule`, { as: 'bob' }),
        stack.api('GET', `/v1/containers/${id}/schedule/preview`, { as: 'bob' }),
        stack.api('DELETE', `/v1/containers/${id}/schedule`, { as: 'bob' }),
      ]);

      expect(answers.map((answer) => [answer.status, answer.body.error.code])).toEqual(
        Array(4).fill([404, 'CONTAINER_NOT_FOUND']),
      );
      expect((await stack.api('GET', `/v1/containers/${id}/schedule`)).status).toBe(200);
    });

    it('answers 400 INVALID_ID_FORMAT for a bad container id, and VALIDATION_ERROR for a bad project id', async () => {
      const badId = await stack.api('PUT', '/v1/containers/not-an-id/schedule', { body: officeHours });
      const badProject = await stack.api('PUT', '/v1/projects/Not_A_Project/schedule', { body: officeHours });

      expect(badId.status).toBe(400);
      expect(badId.body.error.code).toBe('INVALID_ID_FORMAT');
      expect(badProject.status).toBe(400);
      expect(badProject.body.error.code).toBe('VALIDATION_ERROR');
    });

    it.each([
      ['an unknown time zone', { ...officeHours, time_zone: 'Mars/Olympus_Mons' }, 'body.time_zone'],
      ['an offset for a time zone', { ...officeHours, time_zone: '+01:00' }, 'body.time_zone'],
      [
        'a time past 23:59',
        { ...officeHours, windows: [{ days: ['mon'], start: '24:00', stop: '08:00' }] },
        'body.windows.0.start',
      ],
      [
        'a time without minutes',
        { ...officeHours, windows: [{ days: ['mon'], start: '8', stop: '09:00' }] },
        'body.windows.0.start',
      ],
      [
        'an unknown day',
        { ...officeHours, windows: [{ days: ['funday'], start: '08:00', stop: '09:00' }] },
        'body.windows.0.days.0',
      ],
      [
        'no day',
        { ...officeHours, windows: [{ days: [], start: '08:00', stop: '09:00' }] },
        'body.windows.0.days',
      ],
      [
        'a start equal to the stop',
        { ...officeHours, windows: [{ days: ['mon'], start: '08:00', stop: '08:00' }] },
        'body.windows.0',
      ],
      ['no window', { ...officeHours, windows: [] }, 'body.windows'],
      ['15 windows', { ...officeHours, windows: Array(15).fill(officeHours.windows[0]) }, 'body.windows'],
      ['a field the schedule does not have', { ...officeHours, enabled: true }, 'body'],
    ])('answers 400 VALIDATION_ERROR for %s, naming the field', async (_case, body, field) => {
      const id = await newContainer({ start: false });

      const response = await stack.api('PUT', `/v1/containers/${id}/schedule`, { body });

      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
      expect(response.body.error.details.map((issue: { field: string }) => issue.field)).toContain(field);
    });

    it('refuses a write with a read-only token, and lets it read', async () => {
      const id = await newContainer({ start: false });
      await stack.api('PUT', `/v1/containers/${id}/schedule`, { body: officeHours });

      const write = await stack.api('PUT', `/v1/containers/${id}/schedule`, {
        scope: 'containers:read',
        body: officeHours,
      });
      const read = await stack.api('GET', `/v1/containers/${id}/schedule`, { scope: 'containers:read' });

      expect(write.status).toBe(403);
      expect(read.status).toBe(200);
    });
  });

  describe('when DynamoDB is throttled past the retries', () => {
    /**
     * Fails every `commands` call that names the container's schedule item with DynamoDB's
     * throttling error, in the functions' own client, before the SDK sends it; returns the undo.
     */
    function throttleSchedule(containerId: string, commands: readonly string[]): () => void {
      const { dynamoDb } = tableWiringOnce();
      const name = 'throttleScheduleItem';
      dynamoDb.middlewareStack.add(
        (next, context) => async (args) => {
          if (
            commands.includes(context.commandName ?? '') &&
            JSON.stringify(args.input).includes(`SCHEDULE#C#${containerId}`)
          ) {
            throw new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
          }
          return next(args);
        },
        { step: 'initialize', name },
      );
      return () => dynamoDb.middlewareStack.remove(name);
    }

    it('answers a schedule read and a schedule write 502 EXTERNAL_SERVICE_ERROR, and writes nothing', async () => {
      // Prepare
      const id = await newContainer({ start: false });

      // Act: the answers are validated against openapi.json, which lists the 502 on every table route.
      const undoRead = throttleSchedule(id, ['BatchGetItemCommand']);
      const read = await stack.api('GET', `/v1/containers/${id}/schedule`).finally(undoRead);
      const undoWrite = throttleSchedule(id, ['TransactWriteItemsCommand']);
      const write = await stack
        .api('PUT', `/v1/containers/${id}/schedule`, { body: officeHours })
        .finally(undoWrite);
      const after = await stack.api('GET', `/v1/containers/${id}/schedule`);

      // Assess
      for (const answer of [read, write]) {
        expect(answer.status).toBe(502);
        expect(answer.body.error.code).toBe('EXTERNAL_SERVICE_ERROR');
      }
      expect(after.status).toBe(404);
      expect(after.body.error.code).toBe('SCHEDULE_NOT_FOUND');
    });
  });

  describe('project schedules', () => {
    it("apply to the project's containers until a container has its own, which wins, and again once it is deleted", async () => {
      // Prepare
      const id = await newContainer({ start: false, project_id: 'team-a' });
      const project = await stack.api('PUT', '/v1/projects/team-a/schedule', { body: officeHours });

      // Act / Assess: the project's applies
      expect(project.status).toBe(201);
      expect(project.body.data).toMatchObject({ source: 'project', project_id: 'team-a', owner_id: 'alice' });
      const inherited = await stack.api('GET', `/v1/containers/${id}/schedule`);
      expect(inherited.body.data).toMatchObject({
        source: 'project',
        container_id: id,
        time_zone: 'Europe/Berlin',
      });

      // Act / Assess: the container's own wins
      await stack.api('PUT', `/v1/containers/${id}/schedule`, {
        body: { ...officeHours, time_zone: 'Asia/Tokyo' },
      });
      const own = await stack.api('GET', `/v1/containers/${id}/schedule/preview?count=2`);
      expect(own.body.data).toMatchObject({ source: 'container', time_zone: 'Asia/Tokyo' });

      // Act / Assess: deleted, the project's applies again
      const deleted = await stack.api('DELETE', `/v1/containers/${id}/schedule`);
      expect(deleted.status).toBe(204);
      const again = await stack.api('GET', `/v1/containers/${id}/schedule`);
      expect(again.body.data.source).toBe('project');
    });

    it("are the owner's own: another owner's project of the same name has none", async () => {
      await stack.api('PUT', '/v1/projects/shared-name/schedule', { body: officeHours });

      const bobs = await stack.api('GET', '/v1/projects/shared-name/schedule', { as: 'bob' });
      const deleted = await stack.api('DELETE', '/v1/projects/shared-name/schedule', { as: 'bob' });

      expect(bobs.status).toBe(404);
      expect(bobs.body.error.code).toBe('SCHEDULE_NOT_FOUND');
      expect(deleted.status).toBe(404);
      expect((await stack.api('GET', '/v1/projects/shared-name/schedule')).status).toBe(200);
    });
  });

  describe('the schedule limit', () => {
    it('answers 403 QUOTA_EXCEEDED naming schedules for a 51st schedule of one owner, and still replaces one', async () => {
      // Prepare: the default limit, 50, reached by one owner's project schedules.
      const as = 'schedule-collector';
      for (let index = 0; index < 50; index += 1) {
        const created = await stack.api('PUT', `/v1/projects/p-${index}/schedule`, { as, body: officeHours });
        expect(created.status).toBe(201);
      }

      // Act
      const refused = await stack.api('PUT', '/v1/projects/one-more/schedule', { as, body: officeHours });
      const replaced = await stack.api('PUT', '/v1/projects/p-7/schedule', { as, body: officeHours });

      // Assess
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({
        code: 'QUOTA_EXCEEDED',
        details: { limit: 50, resource: 'schedules' },
      });
      expect(replaced.status).toBe(200);
    });
  });

  describe('GET .../schedule/preview', () => {
    it('lists the next transitions with local times, and the hours saved a week', async () => {
      await stack.api('PUT', '/v1/projects/preview-me/schedule', { body: officeHours });

      const response = await stack.api('GET', '/v1/projects/preview-me/schedule/preview?count=4');

      expect(response.status).toBe(200);
      const preview = response.body.data;
      expect(preview).toMatchObject({
        source: 'project',
        project_id: 'preview-me',
        time_zone: 'Europe/Berlin',
        scheduled_hours_per_week: 55,
        hours_saved_per_week: 113,
      });
      expect(preview.transitions).toHaveLength(4);
      const actions = preview.transitions.map((transition: { action: string }) => transition.action);
      expect([
        ['start', 'stop', 'start', 'stop'],
        ['stop', 'start', 'stop', 'start'],
      ]).toContainEqual(actions);
      for (const transition of preview.transitions) {
        expect(Date.parse(transition.at)).toBeGreaterThan(Date.now() - 1000);
        expect(transition.local_time).toMatch(/T(08|19):00:00\+0[12]:00$/);
        expect(Date.parse(transition.local_time)).toBe(Date.parse(transition.at));
      }
    });

    it('answers 400 VALIDATION_ERROR for a count out of range', async () => {
      const id = await newContainer({ start: false });
      await stack.api('PUT', `/v1/containers/${id}/schedule`, { body: officeHours });

      const response = await stack.api('GET', `/v1/containers/${id}/schedule/preview?count=51`);

      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
    });
  });

  describe('the sweep', () => {
    it('stops a running container when its stop is due, and starts it at the next start, logged as the schedule', async () => {
      // Prepare
      const id = await newContainer();
      await stack.waitForStatus(id, 'running');
      await stack.api('PUT', `/v1/containers/${id}/schedule`, { body: windowAroundNow() });
      const preview = await stack.api('GET', `/v1/containers/${id}/schedule/preview?count=2`);
      const [stop, start] = preview.body.data.transitions;
      expect([stop.action, start.action]).toEqual(['stop', 'start']);

      // Act: the stop
      const stopped = await sweepAt(new Date(Date.parse(stop.at) + 30_000));
      await stack.waitForStatus(id, 'stopped');

      // Act: the start
      const started = await sweepAt(new Date(Date.parse(start.at) + 30_000));
      await stack.waitForStatus(id, 'running');

      // Assess
      // The table is shared with the other tests, whose schedules may come due as well.
      expect(stopped).toMatchObject({ failed: 0 });
      expect(stopped.stopped).toBeGreaterThanOrEqual(1);
      expect(started).toMatchObject({ failed: 0 });
      expect(started.started).toBeGreaterThanOrEqual(1);
      const logs = await stack.api(
        'GET',
        `/v1/containers/${id}/status-logs?sort_by=created_at&sort_order=asc&limit=20`,
      );
      const bySchedule = logs.body.data.status_logs
        .filter((log: { triggered_by: string }) => log.triggered_by === 'schedule')
        .map((log: { from_status: string; to_status: string }) => `${log.from_status}->${log.to_status}`);
      expect(bySchedule).toEqual(['running->stopping', 'stopped->starting']);
    });

    it("stops the project's running containers, leaving one with its own schedule running", async () => {
      // Prepare
      const plain = await newContainer({ project_id: 'nightly' });
      const own = await newContainer({ project_id: 'nightly' });
      await stack.waitForStatus(plain, 'running');
      await stack.waitForStatus(own, 'running');
      const project = await stack.api('PUT', '/v1/projects/nightly/schedule', { body: windowAroundNow() });
      await stack.api('PUT', `/v1/containers/${own}/schedule`, { body: windowAroundNow(2, 3) });
      const stopAt = Date.parse(project.body.data.next_transition.at);

      // Act
      const summary = await sweepAt(new Date(stopAt + 30_000));

      // Assess
      expect(summary).toMatchObject({ failed: 0 });
      await stack.waitForStatus(plain, 'stopped');
      expect((await stack.api('GET', `/v1/containers/${own}/status`)).body.data.status).toBe('running');
    });
  });
});
