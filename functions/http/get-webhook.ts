import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { invalidWebhookIdMessage, webhookPath } from '../../lib/http/schemas/paths';
import { webhookView } from '../../lib/http/views';
import { getWebhook } from '../../lib/use-cases/manage-webhooks';
import { webhookDependenciesOnce } from '../../lib/wiring/webhooks';

const deps = webhookDependenciesOnce();

/** GET /v1/webhooks/{id}: one of the caller's webhooks, without its secret. */
export const handler = httpHandler(
  { scope: scopes.read, path: webhookPath, invalidIdMessage: invalidWebhookIdMessage },
  async ({ caller, path }) => {
    const webhook = await getWebhook(deps, { actor: caller, webhookId: path.id });
    return { status: 200, body: { data: webhookView(webhook) } };
  },
);
