/**
 * An owner's webhooks: register, read, list, remove. Owner-scoped: another owner's webhook is
 * WEBHOOK_NOT_FOUND, as another owner's container is CONTAINER_NOT_FOUND.
 */
import { DomainError, ValidationError } from '../domain/errors';
import {
  newWebhookId,
  newWebhookSecret,
  type Webhook,
  type WebhookEventType,
  webhookUrlProblem,
} from '../domain/webhook';
import type { Actor } from './dependencies';
import type { WebhookDependencies } from './webhook-dependencies';

export interface CreateWebhookInput {
  readonly actor: Actor;
  readonly url: string;
  /** Every event type when absent or empty. */
  readonly events?: readonly WebhookEventType[] | undefined;
  readonly description?: string | null | undefined;
}

/** Registers a webhook with a new signing secret; refuses a URL that could reach our network. */
export async function createWebhook(deps: WebhookDependencies, input: CreateWebhookInput): Promise<Webhook> {
  const problem = webhookUrlProblem(input.url, { allowLoopbackHttp: deps.settings.allowLoopbackHttp });
  if (problem) throw new ValidationError([{ field: 'body.url', message: `The URL ${problem}` }]);
  const webhook: Webhook = {
    id: newWebhookId(),
    ownerId: input.actor.id,
    url: input.url,
    events: [...new Set(input.events ?? [])],
    description: input.description ?? null,
    secret: newWebhookSecret(),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.webhooks.createWebhook(webhook, deps.settings.webhookLimit);
  return webhook;
}

/** The caller's webhook, or WEBHOOK_NOT_FOUND. */
export async function getWebhook(
  deps: Pick<WebhookDependencies, 'webhooks'>,
  input: { readonly actor: Actor; readonly webhookId: string },
): Promise<Webhook> {
  const webhook = await deps.webhooks.getWebhook(input.actor.id, input.webhookId);
  if (!webhook) throw webhookNotFound();
  return webhook;
}

export function listWebhooks(
  deps: Pick<WebhookDependencies, 'webhooks'>,
  input: { readonly actor: Actor },
): Promise<readonly Webhook[]> {
  return deps.webhooks.listWebhooks(input.actor.id);
}

/** Removes the webhook; its deliveries in flight are given up at their next attempt. */
export async function deleteWebhook(
  deps: Pick<WebhookDependencies, 'webhooks'>,
  input: { readonly actor: Actor; readonly webhookId: string },
): Promise<void> {
  if (!(await deps.webhooks.deleteWebhook(input.actor.id, input.webhookId))) throw webhookNotFound();
}

export function webhookNotFound(): DomainError {
  return new DomainError('WEBHOOK_NOT_FOUND', 'Webhook not found');
}
