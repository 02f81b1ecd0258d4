import type { Delivery } from '../domain/webhook';
import type { PagePosition } from '../ports/container-repository';
import { DeliveryConflictError } from '../ports/webhook-store';
import { attemptDelivery, giveUp } from './attempt-delivery';
import { leaseEnd } from './deliver-webhook-event';
import type { WebhookDependencies } from './webhook-dependencies';

export interface RetryDeliveriesSummary {
  readonly examined: number;
  readonly succeeded: number;
  /** Failed again: scheduled for a later attempt. */
  readonly retrying: number;
  /** Failed their last attempt, or their webhook is gone. */
  readonly givenUp: number;
  /** Taken up by another pass meanwhile. */
  readonly skipped: number;
  readonly complete: boolean;
}

/**
 * Makes the next attempt of every delivery whose time has come, read from the sparse retry index
 * (gsi5, `WEBHOOKRETRY#<shard>`): its reads grow with the deliveries due, never with the table.
 * Each delivery is claimed first (its next attempt moved past the timeout, conditioned on what was
 * read), so two overlapping passes never send it twice.
 */
export async function retryWebhookDeliveries(
  deps: WebhookDependencies,
  input: { readonly stopBy: Date; readonly pageSize?: number },
): Promise<RetryDeliveriesSummary> {
  const upTo = deps.clock.now().toISOString();
  const outcomes: string[] = [];
  let complete = true;
  shards: for (let shard = 0; shard < deps.webhooks.scheduleShards; shard += 1) {
    let start: PagePosition | undefined;
    do {
      if (deps.clock.now() >= input.stopBy) {
        complete = false;
        break shards;
      }
      const page = await deps.webhooks.listDueDeliveries({ shard, upTo, limit: input.pageSize ?? 25, start });
      outcomes.push(...(await Promise.all(page.items.map((delivery) => retryOne(deps, delivery)))));
      start = page.next;
    } while (start);
  }
  const count = (outcome: string) => outcomes.filter((each) => each === outcome).length;
  return {
    examined: outcomes.length,
    succeeded: count('succeeded'),
    retrying: count('pending'),
    givenUp: count('failed'),
    skipped: count('skipped'),
    complete,
  };
}

async function retryOne(deps: WebhookDependencies, due: Delivery): Promise<string> {
  const claimed: Delivery = { ...due, nextAttemptAt: leaseEnd(deps, deps.clock.now()) };
  try {
    await deps.webhooks.saveDelivery(due, claimed);
  } catch (error) {
    if (error instanceof DeliveryConflictError) return 'skipped';
    throw error;
  }
  const webhook = await deps.webhooks.getWebhook(due.ownerId, due.webhookId);
  const after = webhook
    ? await attemptDelivery(deps, webhook, claimed, 'retry')
    : await giveUp(deps, claimed, 'the webhook was deleted');
  return after.outcome;
}
