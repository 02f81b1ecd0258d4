import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/busybox:1.37';

// One stack for the file: the handlers build their ECS client once, for the first stack's emulator.
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ quota: 50 });
});
afterAll(async () => {
  await stack.close();
});

describe('jobs run to completion, each start a run (through the gateway)', () => {
  /** A job whose task exits with `code` once RUNNING (the emulator's `exit` command). */
  async function createJob(
    name: string,
    code: number,
    options: { as?: string; project?: string; afterMs?: number } = {},
  ) {
    const command =
      options.afterMs === undefined
        ? ['exit', String(code)]
        : ['exit', String(code), String(options.afterMs)];
    const created = await stack.api('POST', '/v1/containers', {
      as: options.as ?? 'alice',
      body: { name, image, kind: 'job', command, project_id: options.project ?? 'batch' },
    });
    expect(created.status).toBe(201);
    return created.body.data as {
      id: string;
      run_id: string;
      kind: string;
      idle_timeout_seconds: number | null;
    };
  }

  const runsOf = (id: string, query = '', as = 'alice', project = 'batch') =>
    stack.api('GET', `/v1/projects/${project}/jobs/${id}/containers${query}`, { as });

  it('runs a job whose task exits 0 to succeeded, with exit_code 0, and lists its run', async () => {
    // Prepare
    const job = await createJob('job-ok', 0);

    // Act
    await stack.waitForStatus(job.id, 'succeeded');
    const read = await stack.api('GET', `/v1/containers/${job.id}`);
    const runs = await runsOf(job.id);

    // Assess
    expect(job).toMatchObject({ kind: 'job', run_id: 'run_2', idle_timeout_seconds: null });
    expect(read.body.data).toMatchObject({ status: 'succeeded', kind: 'job', run_id: 'run_2', exit_code: 0 });
    expect(runs.status).toBe(200);
    expect(runs.body.data).toEqual({
      job_id: job.id,
      containers: [
        {
          run_id: 'run_2',
          container_id: job.id,
          task_arn: expect.stringMatching(/^arn:aws:ecs:/),
          status: 'succeeded',
          started_at: expect.any(String),
          finished_at: expect.any(String),
          exit_code: 0,
          status_reason: expect.stringContaining('the job ran to completion'),
        },
      ],
    });
    expect(runs.body.pagination).toMatchObject({ has_next_page: false, cursor: null, count: 1 });
  });

  it('ends a job whose task exits 3 failed with exit_code 3, then a start makes a second run', async () => {
    // Prepare
    const job = await createJob('job-fails', 3);
    const failed = await stack.waitForStatus(job.id, 'failed');

    // Act
    const started = await stack.api('POST', `/v1/containers/${job.id}/start`);
    await stack.waitForStatus(job.id, 'failed');
    const runs = await runsOf(job.id);
    const first = await runsOf(job.id, '?run_id=run_2');

    // Assess
    expect(failed.body.data).toMatchObject({ status_reason: expect.stringContaining('exit code 3') });
    expect(failed.body.data.allowed_operations).toEqual(['start']);
    expect(started.status).toBe(202);
    const secondRun = started.body.data.container.run_id;
    expect(secondRun).toMatch(/^run_\d+$/);
    expect(secondRun).not.toBe('run_2');
    expect(
      runs.body.data.containers.map((run: { run_id: string; status: string; exit_code: number }) => [
        run.run_id,
        run.status,
        run.exit_code,
      ]),
    ).toEqual([
      [secondRun, 'failed', 3],
      ['run_2', 'failed', 3],
    ]);
    expect(first.body.data.containers).toHaveLength(1);
    expect(first.body.data.containers[0]).toMatchObject({ run_id: 'run_2', status: 'failed', exit_code: 3 });
  });

  it('holds ?wait_for=succeeded on a running job until the job succeeds, and answers it succeeded', async () => {
    // Prepare
    const job = await createJob('job-waited', 0, { afterMs: 2000 });
    await stack.waitForStatus(job.id, 'running');

    // Act
    const waited = await stack.api('GET', `/v1/containers/${job.id}?wait_for=succeeded&timeout=20`);

    // Assess: a running job is on its way, not at rest elsewhere, so the answer waits for its end.
    expect(waited.status).toBe(200);
    expect(waited.body.data).toMatchObject({ status: 'succeeded', exit_code: 0 });
    expect(waited.headers.get('retry-after')).toBeNull();
  });

  it('stops a running job on request: stopped, as a service, and the run ends stopped', async () => {
    // Prepare
    const job = await createJob('job-long', 0, { afterMs: 60_000 });
    await stack.waitForStatus(job.id, 'running');

    // Act
    const pause = await stack.api('POST', `/v1/containers/${job.id}/pause`);
    const stop = await stack.api('POST', `/v1/containers/${job.id}/stop`);
    await stack.waitForStatus(job.id, 'stopped');
    const runs = await runsOf(job.id);

    // Assess
    expect(pause.status).toBe(409);
    expect(pause.body.error).toMatchObject({
      code: 'OPERATION_STATE_CONFLICT',
      details: { allowed_operations: ['stop', 'force-stop'] },
    });
    expect(stop.status).toBe(202);
    expect(runs.body.data.containers).toEqual([
      expect.objectContaining({ run_id: 'run_2', status: 'stopped' }),
    ]);
  });

  it("pages a job's runs with a cursor, newest first", async () => {
    // Prepare
    const job = await createJob('job-paged', 0);
    await stack.waitForStatus(job.id, 'succeeded');
    await stack.api('POST', `/v1/containers/${job.id}/start`);
    await stack.waitForStatus(job.id, 'succeeded');

    // Act
    const first = await runsOf(job.id, '?limit=1');
    const second = await runsOf(job.id, `?limit=1&cursor=${first.body.pagination.cursor}`);

    // Assess
    expect(first.body.pagination).toMatchObject({ has_next_page: true, count: 1, limit: 1 });
    expect(second.body.pagination).toMatchObject({ has_next_page: false, cursor: null });
    expect([...first.body.data.containers, ...second.body.data.containers].map((run) => run.run_id)).toEqual([
      'run_5',
      'run_2',
    ]);
  });

  describe('who may see a job, and what is refused', () => {
    let jobId: string;
    let serviceId: string;

    beforeAll(async () => {
      jobId = (await createJob('job-private', 0)).id;
      const service = await stack.api('POST', '/v1/containers', {
        body: { name: 'svc', image, project_id: 'batch', start: false },
      });
      serviceId = service.body.data.id;
      await stack.waitForStatus(jobId, 'succeeded');
    });

    it('answers 404 CONTAINER_NOT_FOUND to another owner, or under another project', async () => {
      const bob = await runsOf(jobId, '', 'bob');
      const elsewhere = await runsOf(jobId, '', 'alice', 'other');

      expect(bob.status).toBe(404);
      expect(bob.body.error.code).toBe('CONTAINER_NOT_FOUND');
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.body.error.code).toBe('CONTAINER_NOT_FOUND');
    });

    it('answers 404 RUN_NOT_FOUND to a run the job never had', async () => {
      const unknown = await runsOf(jobId, '?run_id=run_99');

      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('RUN_NOT_FOUND');
    });

    it.each([
      ['a service in the job slot', () => runsOf(serviceId), 'VALIDATION_ERROR'],
      ['a malformed run_id', () => runsOf(jobId, '?run_id=7'), 'VALIDATION_ERROR'],
      ['an unknown query field', () => runsOf(jobId, '?status=running'), 'VALIDATION_ERROR'],
      ['a malformed job id', () => runsOf('not-an-id'), 'INVALID_ID_FORMAT'],
      ['a malformed project id', () => runsOf(jobId, '', 'alice', 'Bad_Project'), 'VALIDATION_ERROR'],
    ])('answers 400 to %s', async (_what, request, code) => {
      const response = await request();

      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe(code);
    });

    it.each([
      ['an unknown kind', { kind: 'cron' }],
      ['a job with an idle timeout', { kind: 'job', idle_timeout_seconds: 600 }],
    ])('refuses to create %s with 400 VALIDATION_ERROR', async (_what, fields) => {
      const response = await stack.api('POST', '/v1/containers', {
        body: { name: 'refused', image, start: false, ...fields },
      });

      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
    });

    it('creates a service by default, which reads as kind service with no run', async () => {
      const service = await stack.api('GET', `/v1/containers/${serviceId}`);

      expect(service.body.data).toMatchObject({
        kind: 'service',
        run_id: null,
        exit_code: null,
        idle_timeout_seconds: 3600,
      });
    });
  });
});

describe("GET /v1/projects/{project_id}/containers: a project's containers", () => {
  beforeAll(async () => {
    for (const [name, project, start] of [
      ['web-1', 'web', false],
      ['web-2', 'web', false],
      ['web-3', 'web', false],
      ['other', 'other', false],
    ] as const) {
      await stack.api('POST', '/v1/containers', { body: { name, image, project_id: project, start } });
    }
    await stack.api('POST', '/v1/containers', {
      as: 'bob',
      body: { name: 'web-bob', image, project_id: 'web', start: false },
    });
  });
  it("lists the project's containers of the caller, newest first, in pages by cursor with the total", async () => {
    // Act
    const first = await stack.api('GET', '/v1/projects/web/containers?per_page=2');
    const second = await stack.api(
      'GET',
      `/v1/projects/web/containers?per_page=2&cursor=${first.body.pagination.cursor}`,
    );

    // Assess
    expect(first.status).toBe(200);
    expect(first.body.pagination).toMatchObject({
      has_next_page: true,
      count: 2,
      total: 3,
      page: 1,
      per_page: 2,
    });
    expect(second.body.pagination).toMatchObject({
      has_next_page: false,
      cursor: null,
      count: 1,
      total: 3,
      page: 2,
    });
    const names = [...first.body.data.containers, ...second.body.data.containers].map((c) => c.name);
    expect(names).toEqual(['web-3', 'web-2', 'web-1']);
  });

  it('answers as GET /v1/containers?project_id= does, filters included', async () => {
    // Act
    const byPath = await stack.api('GET', '/v1/projects/web/containers?status=stopped&sort_order=asc');
    const byQuery = await stack.api('GET', '/v1/containers?project_id=web&status=stopped&sort_order=asc');
    const running = await stack.api('GET', '/v1/projects/web/containers?status=running');

    // Assess
    expect(byPath.body.data.containers.map((c: { id: string }) => c.id)).toEqual(
      byQuery.body.data.containers.map((c: { id: string }) => c.id),
    );
    expect(byPath.body.pagination).toEqual(byQuery.body.pagination);
    expect(running.body.pagination.total).toBe(0);
    expect(running.body.data.containers).toEqual([]);
  });

  it("shows bob only his own container of the same project name, and an admin anyone's by owner_id", async () => {
    const bob = await stack.api('GET', '/v1/projects/web/containers', { as: 'bob' });
    const admin = await stack.api('GET', '/v1/projects/web/containers?owner_id=alice', {
      as: 'root',
      scope: 'containers:read containers:admin',
    });

    expect(bob.body.data.containers.map((c: { name: string }) => c.name)).toEqual(['web-bob']);
    expect(admin.body.pagination.total).toBe(3);
  });

  it.each([
    ['a project id that is not a slug', '/v1/projects/Not_A_Slug/containers'],
    ['project_id in the query as well', '/v1/projects/web/containers?project_id=web'],
    ['a status that does not exist', '/v1/projects/web/containers?status=done'],
    ['a page size out of range', '/v1/projects/web/containers?per_page=0'],
  ])('answers 400 VALIDATION_ERROR to %s', async (_what, path) => {
    const response = await stack.api('GET', path);

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
  });
});
