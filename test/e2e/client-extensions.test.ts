/** The typed client's schedules, webhooks, projects, jobs and OpenAPI methods against the local stack. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerApiError, type ContainerLifecycleClient, type JobRun } from '../../client';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/busybox:1.37';
const workdays = {
  time_zone: 'Europe/Berlin',
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', stop: '19:00' }],
} as const;

describe('the typed client’s later routes against the local stack', () => {
  let stack: LocalStack;
  let api: ContainerLifecycleClient;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 20 });
    api = stack.client('olga');
  });
  afterAll(async () => {
    await stack.close();
  });

  it('puts, reads, previews and deletes a container’s schedule, then falls back to its project’s', async () => {
    // Prepare
    const container = await api.create({ name: 'scheduled', image, project_id: 'office', start: false });

    // Act
    const first = await api.putSchedule({ containerId: container.id }, workdays);
    const replaced = await api.putSchedule({ containerId: container.id }, workdays);
    const read = await api.getSchedule({ containerId: container.id });
    const preview = await api.previewSchedule({ containerId: container.id }, { count: 3 });
    await api.deleteSchedule({ containerId: container.id });
    const gone = await api.getSchedule({ containerId: container.id }).catch((error: unknown) => error);
    const project = await api.putSchedule({ projectId: 'office' }, workdays);
    const inherited = await api.getSchedule({ containerId: container.id });
    const projectPreview = await api.previewSchedule({ projectId: 'office' }, { count: 2 });
    await api.deleteSchedule({ projectId: 'office' });

    // Assess
    expect(first.created).toBe(true);
    expect(replaced.created).toBe(false);
    expect(read).toMatchObject({
      source: 'container',
      container_id: container.id,
      project_id: 'office',
      time_zone: 'Europe/Berlin',
      windows: workdays.windows,
      next_transition: { action: expect.stringMatching(/^(start|stop)$/) },
    });
    expect(preview.transitions).toHaveLength(3);
    expect(preview).toMatchObject({
      source: 'container',
      scheduled_hours_per_week: 55,
      hours_saved_per_week: 113,
    });
    expect(gone).toBeInstanceOf(ContainerApiError);
    expect(gone).toMatchObject({ status: 404, code: 'SCHEDULE_NOT_FOUND' });
    expect(project).toMatchObject({ created: true, schedule: { source: 'project', project_id: 'office' } });
    expect(inherited).toMatchObject({ source: 'project', container_id: container.id });
    expect(projectPreview.transitions).toHaveLength(2);
  });

  it('creates a webhook with its secret once, lists, reads, lists its deliveries and deletes it', async () => {
    // Act
    const created = await api.createWebhook({
      url: 'https://example.com/hooks/olga',
      events: ['container.status-changed'],
      description: 'status changes',
    });
    const listed = await api.listWebhooks();
    const read = await api.getWebhook(created.id);
    const deliveries = await api.listDeliveries(created.id, { limit: 5 });
    const deleted = await api.deleteWebhook(created.id);
    const gone = await api.getWebhook(created.id).catch((error: unknown) => error);

    // Assess
    expect(created).toMatchObject({
      id: expect.stringMatching(/^wh_[0-9a-f]{24}$/),
      url: 'https://example.com/hooks/olga',
      events: ['container.status-changed'],
      secret: expect.stringMatching(/^whsec_/),
    });
    expect(listed.webhooks.map((webhook) => webhook.id)).toEqual([created.id]);
    expect(listed.quota.used).toBe(1);
    expect(read).toEqual({
      id: created.id,
      url: created.url,
      events: created.events,
      description: 'status changes',
      created_at: created.created_at,
    });
    expect(deliveries).toEqual({
      deliveries: [],
      pagination: { has_next_page: false, cursor: null, count: 0, limit: 5 },
    });
    expect(deleted).toEqual({ id: created.id, deleted: true });
    expect(gone).toMatchObject({ status: 404, code: 'WEBHOOK_NOT_FOUND' });
  });

  it('runs a job to succeeded, waits for it through waitFor, and lists its run', async () => {
    // Prepare
    const job = await api.create({
      name: 'nightly',
      image,
      project_id: 'batch',
      kind: 'job',
      command: ['exit', '0'],
    });

    // Act
    const done = await api.waitFor(job.id, 'succeeded', { timeoutMs: 20_000 });
    const runs = await api.listJobRuns('batch', job.id);
    const one = await api.listJobRuns('batch', job.id, { run_id: done.run_id ?? '' });
    const all: JobRun[] = [];
    for await (const run of api.listJobRunsAll('batch', job.id)) all.push(run);

    // Assess
    expect(job).toMatchObject({ kind: 'job', idle_timeout_seconds: null, command: ['exit', '0'] });
    expect(done).toMatchObject({
      status: 'succeeded',
      kind: 'job',
      exit_code: 0,
      run_id: expect.any(String),
    });
    expect(runs).toEqual({
      job_id: job.id,
      containers: [
        expect.objectContaining({
          run_id: done.run_id,
          container_id: job.id,
          status: 'succeeded',
          exit_code: 0,
        }),
      ],
      pagination: { has_next_page: false, cursor: null, count: 1, limit: 20 },
    });
    expect(one.containers).toEqual(runs.containers);
    expect(all).toEqual(runs.containers);
  });

  it('lists a project’s containers, and only that project’s', async () => {
    // Prepare
    const owner = stack.client('petra');
    const inProject = await owner.create({ name: 'in-web', image, project_id: 'web', start: false });
    await owner.create({ name: 'elsewhere', image, project_id: 'data', start: false });

    // Act
    const listed = await owner.listProjectContainers('web', { per_page: 10 });

    // Assess
    expect(listed.containers.map((container) => container.id)).toEqual([inProject.id]);
    expect(listed.pagination).toMatchObject({ has_next_page: false, count: 1, total: 1 });
    expect(listed.quota).toEqual({ limit: 20, used: 2 });
  });

  it('fetches the OpenAPI document, which names every route the client calls', async () => {
    const document = await api.openApi();

    expect(document.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/containers/{id}/schedule/preview',
        '/v1/projects/{project_id}/jobs/{job_id}/containers',
        '/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver',
      ]),
    );
  });
});
