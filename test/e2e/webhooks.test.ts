import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformEventId } from '../../lib/domain/event-id';
import { verifySignature } from '../../lib/domain/webhook-signature';
import { type LocalStack, startLocalStack } from '../support/local-stack';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const image = 'public.ecr.aws/docker/library/nginx:1.27';

describe('webhooks: our events, signed, retried and redelivered, through the gateway', () => {
  let stack: LocalStack;
  let receiver: WebhookReceiver;
  let retryPass: () => Promise<unknown>;
  let names = 0;

  beforeAll(async () => {
    // Short backoff (1 s, then 1 s, then given up) so that retries happen within a test.
    process.env.WEBHOOK_RETRY_SCHEDULE_SECONDS = '1,1';
    process.env.WEBHOOK_TIMEOUT_MS = '2000';
    process.env.WEBHOOK_LIMIT = '3';
    stack = await startLocalStack({ quota: 50, events: true });
    receiver = await startWebhookReceiver();
    const { handler } = await import('../../functions/scheduled/retry-webhook-deliveries');
    retryPass = () => handler({}, { getRemainingTimeInMillis: () => 30_000 });
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  async function registerWebhook(as: string, path: string, events?: string[]) {
    const response = await stack.api('POST', '/v1/webhooks', {
      as,
      body: { url: `${receiver.url}${path}`, ...(events ? { events } : {}) },
    });
    expect(response.status).toBe(201);
    return response.body.data as { id: string; secret: string };
  }

  async function createContainer(as: string, start = true): Promise<string> {
    names += 1;
    const created = await stack.api('POST', '/v1/containers', {
      as,
      body: { name: `hook-${names}`, image, start },
    });
    expect(created.status).toBe(201);
    return created.body.data.id;
  }

  async function deliveriesOf(as: string, webhookId: string) {
    const response = await stack.api('GET', `/v1/webhooks/${webhookId}/deliveries`, { as });
    expect(response.status).toBe(200);
    // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON they assert on.
    return response.body.data.deliveries as any[];
  }

  /** A webhook registered while a container runs, then one transition of it: one event, one delivery. */
  async function registerWebhookForOneEvent(as: string, path: string) {
    const id = await createContainer(as);
    await stack.waitForStatus(id, 'running', as);
    // The events of the steps so far go out before the webhook exists.
    await stack.streams?.drain();
    await stack.bus.drain();
    const webhook = await registerWebhook(as, path);
    await stack.api('POST', `/v1/containers/${id}/force-stop`, { as });
    return webhook;
  }

  /** The webhook's one delivery, once its `attempts`th attempt is recorded (it is, just after the POST). */
  async function deliveryOnceRecorded(as: string, webhookId: string, attempts: number) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [delivery] = await deliveriesOf(as, webhookId);
      if (delivery?.attempt_count >= attempts || Date.now() > deadline) return delivery;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it('signs and delivers no event this service did not send: one forged on the bus, or a real one edited, is dropped', async () => {
    // Prepare: mallory's webhook has its one real delivery (a force-stop); a second webhook,
    // registered after it, has no delivery of that event yet, so only the check can keep an edited
    // copy of it (same id) from going out there
    const webhook = await registerWebhookForOneEvent('mallory', '/mallory');
    const [real] = await receiver.waitFor('/mallory', (requests) => requests.length >= 1);
    const late = await registerWebhook('mallory', '/mallory-late');
    const sent = stack.published.find(
      (event) =>
        event['detail-type'] === 'container.status-changed' &&
        (event.detail as { event_id?: string }).event_id === real?.json.id,
    );
    if (!sent) throw new Error('the real event is not on the bus');
    const detail = sent.detail as Record<string, unknown>;
    const autoStoppedId = platformEventId('container.auto-stopped', String(detail.transition_id));

    // Act: the real event with its reason edited, under its own id and under a new one, and the
    // auto-stop this transition was not, under the id it would have had
    stack.bus.put({ ...sent, detail: { ...detail, reason: 'forged' } });
    stack.bus.put({
      ...sent,
      detail: { ...detail, reason: 'forged', event_id: 'evt_0f0f0f0f0f0f0f0f0f0f0f0f' },
    });
    stack.bus.put({
      ...sent,
      'detail-type': 'container.auto-stopped',
      detail: { ...detail, event_id: autoStoppedId, triggered_by: 'auto-stop' },
    });
    await stack.bus.drain();

    // Assess: the real delivery alone, and no request beyond it
    expect(await deliveriesOf('mallory', webhook.id)).toHaveLength(1);
    expect(await deliveriesOf('mallory', late.id)).toEqual([]);
    expect(receiver.requests.filter((request) => request.path.startsWith('/mallory'))).toHaveLength(1);
  });

  it('delivers a signed container.status-changed event for every step of create, start and stop', async () => {
    // Prepare
    const webhook = await registerWebhook('alice', '/alice', ['container.status-changed']);
    expect(webhook.secret).toMatch(/^whsec_/);

    // Act
    const id = await createContainer('alice');
    await stack.waitForStatus(id, 'running', 'alice');
    await stack.api('POST', `/v1/containers/${id}/stop`, { as: 'alice' });
    await stack.waitForStatus(id, 'stopped', 'alice');
    await stack.api('POST', `/v1/containers/${id}/start`, { as: 'alice' });
    await stack.waitForStatus(id, 'running', 'alice');

    // Assess
    const received = await receiver.waitFor('/alice', (requests) => requests.length >= 7);
    const now = Math.floor(Date.now() / 1000);
    for (const request of received) {
      expect(request.headers['content-type']).toBe('application/json');
      expect(
        verifySignature(webhook.secret, String(request.headers['webhook-signature']), request.body, now),
      ).toBe(true);
      expect(
        verifySignature('whsec_other', String(request.headers['webhook-signature']), request.body, now),
      ).toBe(false);
      expect(request.json.type).toBe('container.status-changed');
      expect(request.json.id).toMatch(/^evt_[0-9a-f]{24}$/);
    }
    const steps = received
      .map((request) => request.json.data)
      .sort((a, b) => a.version - b.version)
      .map((data) => [data.from_status, data.to_status, data.triggered_by, data.operation]);
    expect(steps).toEqual([
      [null, 'creating', 'user', 'create'],
      ['creating', 'starting', 'user', 'create'],
      [
        'starting',
        'running',
        'ecs',
        expect.toSatisfy((value) => value === null || typeof value === 'string'),
      ],
      ['running', 'stopping', 'user', 'stop'],
      [
        'stopping',
        'stopped',
        'ecs',
        expect.toSatisfy((value) => value === null || typeof value === 'string'),
      ],
      ['stopped', 'starting', 'user', 'start'],
      [
        'starting',
        'running',
        'ecs',
        expect.toSatisfy((value) => value === null || typeof value === 'string'),
      ],
    ]);
    expect(received[0]?.json.data).toMatchObject({ container_id: id, owner_id: 'alice' });
    expect(received[0]?.json.data).toHaveProperty('reason');
    const deliveries = await deliveriesOf('alice', webhook.id);
    expect(deliveries).toHaveLength(7);
    expect(deliveries.every((delivery) => delivery.outcome === 'succeeded')).toBe(true);
    expect(deliveries[0]).toMatchObject({ attempt_count: 1, last_status_code: 200, next_attempt_at: null });
  });

  it("delivers nothing of one owner's containers to another owner's webhook", async () => {
    // Prepare
    await registerWebhook('bob', '/bob');
    const aliceWebhook = await registerWebhook('erin', '/erin');

    // Act
    const id = await createContainer('erin', false);
    await receiver.waitFor('/erin', (requests) =>
      requests.some((request) => request.json.data.container_id === id),
    );

    // Assess
    expect(receiver.requests.filter((request) => request.path === '/bob')).toEqual([]);
    const bobReads = await Promise.all([
      stack.api('GET', `/v1/webhooks/${aliceWebhook.id}`, { as: 'bob' }),
      stack.api('GET', `/v1/webhooks/${aliceWebhook.id}/deliveries`, { as: 'bob' }),
      stack.api('DELETE', `/v1/webhooks/${aliceWebhook.id}`, { as: 'bob' }),
    ]);
    for (const response of bobReads) {
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('WEBHOOK_NOT_FOUND');
    }
    const listed = await stack.api('GET', '/v1/webhooks', { as: 'bob' });
    expect(listed.body.data.webhooks.map((webhook: { id: string }) => webhook.id)).not.toContain(
      aliceWebhook.id,
    );
    expect(listed.body.data.webhooks[0]).not.toHaveProperty('secret');
  });

  it('retries a delivery the receiver answered with 500, after the backoff, until it succeeds', async () => {
    // Prepare
    receiver.answer('/flaky', [500]);
    const webhook = await registerWebhookForOneEvent('carol', '/flaky');
    const [first] = await receiver.waitFor('/flaky', (requests) => requests.length >= 1);
    const pending = await deliveryOnceRecorded('carol', webhook.id, 1);
    expect(pending).toMatchObject({ outcome: 'pending', attempt_count: 1, last_status_code: 500 });
    expect(Date.parse(pending.next_attempt_at) - Date.parse(pending.last_attempt_at)).toBe(1000);

    // Act
    await retryPass();
    const notYet = await deliveriesOf('carol', webhook.id);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await retryPass();

    // Assess
    expect(notYet[0].attempt_count).toBe(1);
    const requests = await receiver.waitFor('/flaky', (all) => all.length >= 2);
    expect(requests[1]?.body).toBe(first?.body);
    expect(requests[1]?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    const [delivered] = await deliveriesOf('carol', webhook.id);
    expect(delivered).toMatchObject({
      outcome: 'succeeded',
      attempt_count: 2,
      last_status_code: 200,
      next_attempt_at: null,
    });
    expect(delivered.attempts.map((attempt: { trigger: string }) => attempt.trigger)).toEqual([
      'event',
      'retry',
    ]);
  });

  it('gives a delivery up once every attempt of the schedule has failed, and redelivers it on request', async () => {
    // Prepare
    receiver.answer('/down', [], 503);
    const webhook = await registerWebhookForOneEvent('dave', '/down');
    await deliveryOnceRecorded('dave', webhook.id, 1);
    for (let pass = 0; pass < 2; pass += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await retryPass();
    }
    const [givenUp] = await deliveriesOf('dave', webhook.id);
    expect(givenUp).toMatchObject({
      outcome: 'failed',
      attempt_count: 3,
      last_status_code: 503,
      next_attempt_at: null,
    });
    receiver.answer('/down', [], 200);

    // Act
    const response = await stack.api(
      'POST',
      `/v1/webhooks/${webhook.id}/deliveries/${givenUp.id}/redeliver`,
      { as: 'dave' },
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ id: givenUp.id, outcome: 'succeeded', attempt_count: 4 });
    expect(response.body.data.attempts.at(-1)).toMatchObject({ trigger: 'redeliver', status_code: 200 });
    const sent = receiver.requests.filter((request) => request.path === '/down');
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((request) => request.body)).size).toBe(1);
    const otherOwner = await stack.api(
      'POST',
      `/v1/webhooks/${webhook.id}/deliveries/${givenUp.id}/redeliver`,
      {
        as: 'bob',
      },
    );
    expect(otherOwner.status).toBe(404);
    const unknown = await stack.api(
      'POST',
      `/v1/webhooks/${webhook.id}/deliveries/dlv_${'0'.repeat(24)}/redeliver`,
      { as: 'dave' },
    );
    expect(unknown.body.error.code).toBe('DELIVERY_NOT_FOUND');
  });

  it('does not use up the automatic retries with failed redeliveries', async () => {
    // Prepare: the first attempt failed; its first retry is due in 1 s (schedule 1 s, 1 s)
    receiver.answer('/patient', [], 503);
    const webhook = await registerWebhookForOneEvent('ivan', '/patient');
    const pending = await deliveryOnceRecorded('ivan', webhook.id, 1);
    expect(pending).toMatchObject({ outcome: 'pending', attempt_count: 1 });
    const redeliver = () =>
      stack.api('POST', `/v1/webhooks/${webhook.id}/deliveries/${pending.id}/redeliver`, { as: 'ivan' });
    for (let n = 0; n < 3; n += 1) expect((await redeliver()).body.data.outcome).toBe('pending');

    // Act: the retry pass makes the second automatic attempt, which fails too
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await retryPass();

    // Assess: one automatic attempt is left, so the delivery waits for it instead of being given up
    const [afterRetry] = await deliveriesOf('ivan', webhook.id);
    expect(afterRetry).toMatchObject({ outcome: 'pending', attempt_count: 5 });
    expect(afterRetry.next_attempt_at).not.toBeNull();
    expect(afterRetry.attempts.map((attempt: { trigger: string }) => attempt.trigger)).toEqual([
      'event',
      'redeliver',
      'redeliver',
      'redeliver',
      'retry',
    ]);
  });

  it('keeps a delivery succeeded when a later redelivery fails, and records that attempt', async () => {
    // Prepare
    const webhook = await registerWebhookForOneEvent('judy', '/once-fine');
    const delivered = await deliveryOnceRecorded('judy', webhook.id, 1);
    expect(delivered.outcome).toBe('succeeded');
    receiver.answer('/once-fine', [], 500);

    // Act
    const response = await stack.api(
      'POST',
      `/v1/webhooks/${webhook.id}/deliveries/${delivered.id}/redeliver`,
      { as: 'judy' },
    );

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      outcome: 'succeeded',
      attempt_count: 2,
      last_status_code: 500,
      next_attempt_at: null,
    });
    expect(response.body.data.attempts.at(-1)).toMatchObject({ trigger: 'redeliver', status_code: 500 });
  });

  it('replays POST /v1/webhooks under its Idempotency-Key without the secret, which is stored only in the webhook', async () => {
    // Prepare
    const request = {
      as: 'kim',
      headers: { 'idempotency-key': 'kim-webhook-1' },
      body: { url: `${receiver.url}/kim` },
    };

    // Act
    const first = await stack.api('POST', '/v1/webhooks', request);
    const replay = await stack.api('POST', '/v1/webhooks', request);

    // Assess
    expect(first.status).toBe(201);
    const secret: string = first.body.data.secret;
    expect(secret).toMatch(/^whsec_/);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.headers.get('webhook-secret')).toBe('withheld');
    expect(replay.body.data.id).toBe(first.body.data.id);
    expect(replay.body.data).not.toHaveProperty('secret');
    const { Items: items = [] } = await stack.dynamoDb.send(new ScanCommand({ TableName: stack.tableName }));
    const holding = items.filter((item) => JSON.stringify(item).includes(secret));
    expect(holding.map((item) => item.kind?.S)).toEqual(['webhook']);
  });

  it.each([
    ['http to a public host', 'http://example.com/hook'],
    ['another scheme', 'ftp://example.com/hook'],
    ['a private address', 'https://10.0.0.8/hook'],
    ['the instance metadata address', 'https://169.254.169.254/latest/meta-data'],
    ['credentials in the URL', 'https://user:secret@example.com/hook'],
    ['no URL at all', 'not a url'],
    ['a private IPv6 address', 'https://[fd00::1]/hook'],
    ['a benchmarking address', 'https://198.18.0.1/hook'],
    ['6to4 around the metadata address', 'https://[2002:a9fe:a9fe::1]/hook'],
  ])('refuses %s with 400 VALIDATION_ERROR', async (_what, url) => {
    // Act
    const response = await stack.api('POST', '/v1/webhooks', { as: 'frank', body: { url } });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.details[0].field).toBe('body.url');
  });

  it('refuses bad ids, unknown event types and unknown fields with a 400 and its code', async () => {
    // Act
    const [badId, badType, extra, badDelivery] = await Promise.all([
      stack.api('GET', '/v1/webhooks/not-a-webhook', { as: 'frank' }),
      stack.api('POST', '/v1/webhooks', {
        as: 'frank',
        body: { url: 'https://example.com/hook', events: ['container.exploded'] },
      }),
      stack.api('POST', '/v1/webhooks', {
        as: 'frank',
        body: { url: 'https://example.com/hook', secret: 'x' },
      }),
      stack.api('POST', `/v1/webhooks/wh_${'0'.repeat(24)}/deliveries/nope/redeliver`, { as: 'frank' }),
    ]);

    // Assess
    expect([badId.status, badId.body.error.code]).toEqual([400, 'INVALID_ID_FORMAT']);
    expect([badType.status, badType.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect([extra.status, extra.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
    expect([badDelivery.status, badDelivery.body.error.code]).toEqual([400, 'VALIDATION_ERROR']);
  });

  it('refuses a webhook past the limit with 403 QUOTA_EXCEEDED, and a deletion frees a place', async () => {
    // Prepare
    const made = [];
    for (let n = 0; n < 3; n += 1) made.push(await registerWebhook('grace', `/grace-${n}`));

    // Act
    const over = await stack.api('POST', '/v1/webhooks', {
      as: 'grace',
      body: { url: 'https://example.com/x' },
    });
    const deleted = await stack.api('DELETE', `/v1/webhooks/${made[0]?.id}`, { as: 'grace' });
    const again = await stack.api('POST', '/v1/webhooks', {
      as: 'grace',
      body: { url: 'https://example.com/x' },
    });

    // Assess
    expect(over.status).toBe(403);
    expect(over.body.error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { limit: 3, resource: 'webhooks' },
    });
    expect(deleted.status).toBe(200);
    expect(again.status).toBe(201);
    expect((await stack.api('GET', `/v1/webhooks/${made[0]?.id}`, { as: 'grace' })).status).toBe(404);
  });

  it('needs containers:write to register a webhook and containers:read to list them', async () => {
    // Act
    const readOnly = await stack.api('POST', '/v1/webhooks', {
      as: 'heidi',
      scope: 'containers:read',
      body: { url: 'https://example.com/x' },
    });
    const listed = await stack.api('GET', '/v1/webhooks', { as: 'heidi', scope: 'containers:read' });

    // Assess
    expect(readOnly.status).toBe(403);
    expect(listed.status).toBe(200);
    expect(listed.body.data.webhooks).toEqual([]);
  });
});
