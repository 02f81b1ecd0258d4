import { idempotencyStoreOnce } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { idempotency as idempotentRequests } from '../../lib/http/idempotency';
import { createWebhookBody } from '../../lib/http/schemas/webhook-body';
import { withholdingSecrets } from '../../lib/http/secret-withholding-store';
import { webhookView } from '../../lib/http/views';
import { createWebhook } from '../../lib/use-cases/manage-webhooks';
import { webhookDependenciesOnce } from '../../lib/wiring/webhooks';

// A replay under the same Idempotency-Key answers without the secret: it is never stored beside the key.
const idempotency = idempotentRequests(withholdingSecrets(idempotencyStoreOnce()));
const deps = webhookDependenciesOnce();

/** POST /v1/webhooks: registers a URL for our events; the signing secret is shown here only. */
export const handler = httpHandler(
  { scope: scopes.write, idempotency, body: createWebhookBody },
  async ({ caller, body }) => {
    const webhook = await createWebhook(deps, {
      actor: caller,
      url: body.url,
      events: body.events,
      description: body.description,
    });
    return { status: 201, body: { data: webhookView(webhook, { withSecret: true }) } };
  },
);
