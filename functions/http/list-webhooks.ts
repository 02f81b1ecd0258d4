import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { webhookView } from '../../lib/http/views';
import { listWebhooks } from '../../lib/use-cases/manage-webhooks';
import { webhookDependenciesOnce } from '../../lib/wiring/webhooks';

const deps = webhookDependenciesOnce();

/** GET /v1/webhooks: the caller's webhooks, oldest first; few (WEBHOOK_LIMIT), so one page. */
export const handler = httpHandler({ scope: scopes.read }, async ({ caller }) => {
  const webhooks = await listWebhooks(deps, { actor: caller });
  return {
    status: 200,
    body: {
      data: { webhooks: webhooks.map((webhook) => webhookView(webhook)) },
      quota: { limit: deps.settings.webhookLimit, used: webhooks.length },
    },
  };
});
