import { idempotentRequestsOnce } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { invalidWebhookIdMessage, webhookPath } from '../../lib/http/schemas/paths';
import { deleteWebhook } from '../../lib/use-cases/manage-webhooks';
import { webhookDependenciesOnce } from '../../lib/wiring/webhooks';

const idempotency = idempotentRequestsOnce();
const deps = webhookDependenciesOnce();

/** DELETE /v1/webhooks/{id}: no more deliveries; retries in flight are given up. */
export const handler = httpHandler(
  { scope: scopes.write, idempotency, path: webhookPath, invalidIdMessage: invalidWebhookIdMessage },
  async ({ caller, path }) => {
    await deleteWebhook(deps, { actor: caller, webhookId: path.id });
    return { status: 200, body: { data: { id: path.id, deleted: true } } };
  },
);
