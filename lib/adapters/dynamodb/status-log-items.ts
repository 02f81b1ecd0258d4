/** Status log entries (a container's history) to DynamoDB items and back. */
import type { StatusLog } from '../../domain/container';
import { triggers } from '../../domain/container';
import { containerStatuses } from '../../domain/container-status';
import * as z from '../../schema';
import { marshall } from './attribute-values';
import { type Item, parseItem } from './items';
import { logKey, logPartition, padVersion } from './keys';

/**
 * Built at load where entries are read. A pure call: a bundle that only writes entries (every
 * transition does) drops it unused, and does not build it.
 */
const logItemSchema = /* @__PURE__ */ (() => {
  const status = z.enum(containerStatuses);
  return z.object({
    id: z.string(),
    container_id: z.string(),
    owner_id: z.string(),
    version: z.number().check(z.int(), z.positive()),
    from_status: z.nullable(status),
    to_status: status,
    transition_time: z.string(),
    created_at: z.string(),
    duration_ms: z.number().check(z.int(), z.nonnegative()),
    triggered_by: z.enum(triggers),
    operation: z.nullable(z.string()),
    reason: z.nullable(z.string()),
    metadata: z.record(z.string(), z.unknown()),
  });
})();

export function logItem(log: StatusLog, expiresAtEpochSeconds: number): Item {
  const version = padVersion(log.version);
  const partition = logPartition(log.containerId);
  return marshall({
    ...logKey(log.containerId, log.version),
    kind: 'status-log',
    gsi1pk: partition,
    gsi1sk: `${log.transitionTime}#${version}`,
    gsi2pk: partition,
    gsi2sk: `${log.toStatus}#${log.transitionTime}#${version}`,
    gsi3pk: partition,
    gsi3sk: `${log.fromStatus ?? ''}#${log.transitionTime}#${version}`,
    gsi4pk: partition,
    gsi4sk: `${log.createdAt}#${version}`,
    ttl: expiresAtEpochSeconds,
    id: log.id,
    container_id: log.containerId,
    owner_id: log.ownerId,
    version: log.version,
    from_status: log.fromStatus,
    to_status: log.toStatus,
    transition_time: log.transitionTime,
    created_at: log.createdAt,
    duration_ms: log.durationMs,
    triggered_by: log.triggeredBy,
    operation: log.operation,
    reason: log.reason,
    metadata: log.metadata,
  });
}

export function logFromItem(item: Item): StatusLog {
  const parsed = parseItem(logItemSchema, item);
  return {
    id: parsed.id,
    containerId: parsed.container_id,
    ownerId: parsed.owner_id,
    version: parsed.version,
    fromStatus: parsed.from_status,
    toStatus: parsed.to_status,
    transitionTime: parsed.transition_time,
    createdAt: parsed.created_at,
    durationMs: parsed.duration_ms,
    triggeredBy: parsed.triggered_by,
    operation: parsed.operation,
    reason: parsed.reason,
    metadata: parsed.metadata,
  };
}
