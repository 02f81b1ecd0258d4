import { cursorCodecOnce } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { nextCursor, queryScope, readCursor } from '../../lib/http/pagination';
import { listDeliveriesQuery } from '../../lib/http/schemas/list-queries';
import { invalidWebhookIdMessage, webhookPath } from '../../lib/http/schemas/paths';
import { deliveryView } from '../../lib/http/views';
import { listWebhookDeliveries } from '../../lib/use-cases/webhook-deliveries';
import { webhookDependenciesOnce } from '../../lib/wiring/webhooks';

const cursors = cursorCodecOnce();
const deps = webhookDependenciesOnce();

/** GET /v1/webhooks/{id}/deliveries: what was sent, newest first, with every attempt. */
export const handler = httpHandler(
  {
    scope: scopes.read,
    path: webhookPath,
    query: listDeliveriesQuery,
    invalidIdMessage: invalidWebhookIdMessage,
  },
  async ({ caller, path, query }) => {
    const limit = query.limit ?? 20;
    const scope = queryScope(caller.id, 'webhook-deliveries', { webhook: path.id, limit });
    const cursor = readCursor(cursors, query.cursor, scope);
    const page = cursor?.page ?? 1;
    const list = await listWebhookDeliveries(deps, {
      actor: caller,
      webhookId: path.id,
      limit,
      start: cursor?.key,
    });
    return {
      status: 200,
      body: {
        data: { deliveries: list.items.map(deliveryView) },
        pagination: {
          has_next_page: list.next !== undefined,
          cursor: nextCursor(cursors, list.next, page, scope),
          count: list.items.length,
          limit,
        },
      },
    };
  },
);
