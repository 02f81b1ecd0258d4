/**
 * `container.idle-warning` as in AWS: the auto-stop function writes it to the table's outbox, the
 * stream hands it to the transition publisher, which puts it on the bus (the local PutEvents),
 * and the bus delivers it to the owner's webhook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbContainerRepository } from '../../lib/adapters/dynamodb/dynamodb-container-repository';
import { retryOnConflict } from '../../lib/use-cases/load-container';
import { type LocalStack, startLocalStack } from '../support/local-stack';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const image = 'public.ecr.aws/docker/library/nginx:1.27';
/** The default idle timeout; the local stack's IDLE_WARNING_SECONDS is the default 300 s. */
const idleTimeoutMs = 3600_000;

interface WarningDetail {
  readonly event_id: string;
  readonly container_id: string;
  readonly auto_stop_at: string;
}

describe('container.idle-warning, from the auto-stop sweep through the outbox to the bus', () => {
  let stack: LocalStack;
  let receiver: WebhookReceiver;
  let repository: DynamoDbContainerRepository;
  let sweep: () => Promise<unknown>;
  let names = 0;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 50, events: true });
    receiver = await startWebhookReceiver();
    repository = new DynamoDbContainerRepository(stack.dynamoDb, {
      tableName: stack.tableName,
      logRetentionDays: 90,
    });
    const { handler } = await import('../../functions/scheduled/auto-stop');
    sweep = () => handler({}, { getRemainingTimeInMillis: () => 30_000 });
  });
  afterAll(async () => {
    await stack.close();
    await receiver.close();
  });

  /** A running container of `as`'s whose auto-stop is two minutes away: inside the warning time. */
  async function containerDueSoon(as: string): Promise<string> {
    names += 1;
    const created = await stack.api('POST', '/v1/containers', { as, body: { name: `warn-${names}`, image } });
    expect(created.status).toBe(201);
    const id: string = created.body.data.id;
    await stack.waitForStatus(id, 'running', as);
    const lastUsedAt = new Date(Date.now() - idleTimeoutMs + 120_000).toISOString();
    await retryOnConflict(async () => {
      const stored = await repository.getContainer(id);
      if (!stored) throw new Error(`container ${id} vanished`);
      await repository.saveWithoutTransition(stored, { ...stored, lastUsedAt });
    });
    return id;
  }

  /** The idle warnings of one container that reached the bus, once everything written is out. */
  async function warningsOnTheBus(id: string) {
    await stack.streams?.drain();
    await stack.bus.drain();
    return stack.published
      .filter((event) => event['detail-type'] === 'container.idle-warning')
      .map((event) => ({ source: event.source, detail: event.detail as WarningDetail }))
      .filter((event) => event.detail.container_id === id);
  }

  it('puts the warning on the bus once per deadline, however many sweeps see the container, and delivers it to the webhook', async () => {
    // Prepare
    const webhook = await stack.api('POST', '/v1/webhooks', {
      as: 'dora',
      body: { url: `${receiver.url}/dora`, events: ['container.idle-warning'] },
    });
    expect(webhook.status).toBe(201);
    const id = await containerDueSoon('dora');
    const autoStopAt = new Date(
      Date.parse((await repository.getContainer(id))?.lastUsedAt ?? '') + idleTimeoutMs,
    ).toISOString();

    // Act
    await sweep();
    await sweep();

    // Assess
    const warnings = await warningsOnTheBus(id);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      source: 'container-lifecycle-api',
      detail: {
        event_id: expect.stringMatching(/^evt_[0-9a-f]{24}$/),
        container_id: id,
        owner_id: 'dora',
        auto_stop_at: autoStopAt,
        idle_timeout_seconds: 3600,
        auto_stop_cause: 'idle timeout',
      },
    });
    const [delivery] = await receiver.waitFor('/dora', (requests) => requests.length >= 1);
    expect(delivery?.json).toMatchObject({
      id: warnings[0]?.detail.event_id,
      type: 'container.idle-warning',
      data: { container_id: id, auto_stop_at: autoStopAt },
    });
    expect(await repository.getContainer(id)).toMatchObject({
      status: 'running',
      idleWarningFor: autoStopAt,
    });
  });

  it('does not put the warning on the bus again when a sweep retries it after its mark was lost', async () => {
    // Prepare: warned once; then the mark is gone, as when the sweep failed between the two writes.
    const id = await containerDueSoon('erin');
    await sweep();
    await retryOnConflict(async () => {
      const stored = await repository.getContainer(id);
      if (!stored) throw new Error(`container ${id} vanished`);
      await repository.saveWithoutTransition(stored, { ...stored, idleWarningFor: null });
    });

    // Act
    await sweep();

    // Assess: the retried sweep warned (it saw no mark), and the outbox made that the same event.
    expect(await warningsOnTheBus(id)).toHaveLength(1);
    expect((await repository.getContainer(id))?.idleWarningFor).not.toBeNull();
  });

  it('warns again for a new deadline once the container was used', async () => {
    // Prepare
    const id = await containerDueSoon('fred');
    await sweep();
    const used = new Date(Date.now() - idleTimeoutMs + 180_000).toISOString();
    await retryOnConflict(async () => {
      const stored = await repository.getContainer(id);
      if (!stored) throw new Error(`container ${id} vanished`);
      await repository.saveWithoutTransition(stored, { ...stored, lastUsedAt: used });
    });

    // Act
    await sweep();

    // Assess
    const warnings = await warningsOnTheBus(id);
    expect(warnings.map((event) => event.detail.auto_stop_at)).toEqual([
      expect.any(String),
      new Date(Date.parse(used) + idleTimeoutMs).toISOString(),
    ]);
    const ids = new Set(warnings.map((event) => event.detail.event_id));
    expect(ids.size).toBe(2);
  });
});
