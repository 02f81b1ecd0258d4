/** The path parameters of every route: ids are checked at the edge, before any I/O. */
import { containerIdPattern } from '../../domain/container-id';
import { operations } from '../../domain/operations';
import { deliveryIdPattern, webhookIdPattern } from '../../domain/webhook';
import * as z from '../../schema';
import { slug } from './common';

export const idPath = z.object({ id: z.string().check(z.regex(containerIdPattern)) });

export const operationPath = z.object({
  id: z.string().check(z.regex(containerIdPattern)),
  operation: z.enum(operations),
});

/** An owner's project: `?owner_id=` lets an admin name another owner's. */
export const projectPath = z.object({ project_id: slug });

/** GET /v1/projects/{project_id}/jobs/{job_id}/containers: the job's runs, or one of them. */
export const jobRunsPath = z.object({
  project_id: slug,
  job_id: z.string().check(z.regex(containerIdPattern)),
});

/** Webhooks: `{id}` is `wh_` and 24 hex characters, `{delivery_id}` `dlv_` and 24. */
export const invalidWebhookIdMessage =
  'Webhook id must be wh_ followed by 24 lowercase hexadecimal characters';
export const webhookPath = z.object({ id: z.string().check(z.regex(webhookIdPattern)) });
export const webhookDeliveryPath = z.object({
  id: z.string().check(z.regex(webhookIdPattern)),
  delivery_id: z.string().check(z.regex(deliveryIdPattern, 'must be dlv_ and 24 lowercase hex characters')),
});
