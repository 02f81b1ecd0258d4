/** A webhook's recorded deliveries, and a new attempt at one of them on the owner's request. */
import { DomainError } from '../domain/errors';
import type { Delivery } from '../domain/webhook';
import type { Page, PagePosition } from '../ports/container-repository';
import { attemptDelivery } from './attempt-delivery';
import type { Actor } from './dependencies';
import { getWebhook } from './manage-webhooks';
import type { WebhookDependencies } from './webhook-dependencies';

/** The caller's webhook's deliveries, newest first; WEBHOOK_NOT_FOUND for another owner's. */
export async function listWebhookDeliveries(
  deps: Pick<WebhookDependencies, 'webhooks'>,
  input: {
    readonly actor: Actor;
    readonly webhookId: string;
    readonly limit: number;
    readonly start?: PagePosition | undefined;
  },
): Promise<Page<Delivery>> {
  await getWebhook(deps, input);
  return deps.webhooks.listDeliveries({ webhookId: input.webhookId, limit: input.limit, start: input.start });
}

/** Sends the delivery's payload again now, signed afresh, and records the attempt. */
export async function redeliverWebhookDelivery(
  deps: WebhookDependencies,
  input: { readonly actor: Actor; readonly webhookId: string; readonly deliveryId: string },
): Promise<Delivery> {
  const webhook = await getWebhook(deps, input);
  const delivery = await deps.webhooks.getDelivery(webhook.id, input.deliveryId);
  if (!delivery) throw new DomainError('DELIVERY_NOT_FOUND', 'Delivery not found');
  return attemptDelivery(deps, webhook, delivery, 'redeliver');
}
