import type { Context } from 'aws-lambda';
import { logger } from '../../lib/logger';
import { observed } from '../../lib/observability/observed';
import { retryWebhookDeliveries } from '../../lib/use-cases/retry-webhook-deliveries';
import { webhookDependenciesOnce } from '../../lib/wiring/webhooks';

const deps = webhookDependenciesOnce();

/** Time kept back from the Lambda timeout: an attempt in flight may take the whole receiver timeout. */
const marginMs = 10_000;

/** Runs on a schedule: the next attempt of each failed delivery whose backoff has run out. */
export const handler = observed(async function handle(
  _event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
) {
  const stopBy = new Date(Date.now() + context.getRemainingTimeInMillis() - marginMs);
  const summary = await retryWebhookDeliveries(deps, { stopBy });
  logger.info('webhook retry pass', { ...summary });
  return summary;
});
