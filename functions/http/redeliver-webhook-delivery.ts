import { idempotentRequestsOnce } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { invalidWebhookIdMessage, webhookDeliveryPath } from '../../lib/http/schemas/paths';
import { deliveryView } from '../../lib/http/views';
import { redeliverWebhookDelivery } from '../../lib/use-cases/webhook-deliveries';
import { webhookDependenciesOnce } from '../../lib/wiring/webhooks';

const idempotency = idempotentRequestsOnce();
const deps = webhookDependenciesOnce();

/** POST /v1/webhooks/{id}/deliveries/{delivery_id}/redeliver: one new attempt now, recorded. */
export const handler = httpHandler(
  { scope: scopes.write, idempotency, path: webhookDeliveryPath, invalidIdMessage: invalidWebhookIdMessage },
  async ({ caller, path }) => {
    const delivery = await redeliverWebhookDelivery(deps, {
      actor: caller,
      webhookId: path.id,
      deliveryId: path.delivery_id,
    });
    return { status: 200, body: { data: deliveryView(delivery) } };
  },
);
