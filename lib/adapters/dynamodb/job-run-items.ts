/** A job's run records to DynamoDB items and back. */
import type { JobRun } from '../../domain/container';
import { containerStatuses } from '../../domain/container-status';
import * as z from '../../schema';
import { marshall } from './attribute-values';
import { type Item, parseItem } from './items';
import { runKey } from './keys';

/**
 * Built at load where runs are read. A pure call: a bundle that only writes runs (a job's
 * transitions do) drops it unused, and does not build it.
 */
const runItemSchema = /* @__PURE__ */ (() => {
  const status = z.enum(containerStatuses);
  return z.object({
    run_id: z.string(),
    container_id: z.string(),
    owner_id: z.string(),
    task_arn: z.nullable(z.string()),
    status,
    started_at: z.string(),
    finished_at: z.nullable(z.string()),
    exit_code: z.nullable(z.number().check(z.int())),
    status_reason: z.nullable(z.string()),
  });
})();

/** A job's run, beside its container (`CONTAINER#id` / `RUN#<padded version>`): in no index. */
export function runItem(run: JobRun, expiresAtEpochSeconds: number): Item {
  return marshall({
    ...runKey(run.containerId, run.runId),
    kind: 'job-run',
    ttl: expiresAtEpochSeconds,
    run_id: run.runId,
    container_id: run.containerId,
    owner_id: run.ownerId,
    task_arn: run.taskArn,
    status: run.status,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    exit_code: run.exitCode,
    status_reason: run.statusReason,
  });
}

export function runFromItem(item: Item): JobRun {
  const parsed = parseItem(runItemSchema, item);
  return {
    runId: parsed.run_id,
    containerId: parsed.container_id,
    ownerId: parsed.owner_id,
    taskArn: parsed.task_arn,
    status: parsed.status,
    startedAt: parsed.started_at,
    finishedAt: parsed.finished_at,
    exitCode: parsed.exit_code,
    statusReason: parsed.status_reason,
  };
}
