/** The body of POST /v1/webhooks. */
import { webhookEventTypes } from '../../domain/webhook';
import * as z from '../../schema';

/** POST /v1/webhooks. The URL's scheme and host are checked by the use case (it knows the policy). */
export const createWebhookBody = z.strictObject({
  url: z.string().check(z.minLength(1), z.maxLength(2048)),
  events: z.optional(z.array(z.enum(webhookEventTypes)).check(z.maxLength(webhookEventTypes.length))),
  description: z.nullish(z.string().check(z.maxLength(256))),
});
