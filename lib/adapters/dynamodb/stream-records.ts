/**
 * The table's stream records, as Lambda (and the local poller) hand them on, read back into what
 * the stream functions act on: new status-log items (transitions) and new outbox items (events a
 * function sent through the table) to publish, and the release items of deleted containers, whose
 * task definitions are to be released, in stream order. Every other write is passed over.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { logger } from '../../logger';
import type { StreamedRecord } from '../../use-cases/publish-transitions';
import type { StreamedRelease } from '../../use-cases/release-task-definitions';
import { outboxEventFromItem, outboxEventKind } from './outbox-items';
import { releaseKind } from './release-items';
import { logFromItem } from './status-log-items';

/**
 * A Lambda event filter pattern (an event source mapping's FilterCriteria): each leaf lists the
 * values that match, or `{ exists: true }`. The local stream poller applies the same patterns.
 */
export interface StreamFilterPattern {
  readonly [field: string]: StreamFilterPattern | readonly (string | { readonly exists: boolean })[];
}

/**
 * The records the task definition release is invoked for: new release items, which a delete writes
 * in its transaction when the container held a task definition (release-items.ts). Every other
 * write is filtered out before the function is invoked, so it costs nothing.
 */
export const releaseFilter = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { kind: { S: [releaseKind] } } },
} as const satisfies StreamFilterPattern;

/** The deleted containers' task definitions, in stream order; any other record is passed over. */
export function releasesFromStream(records: readonly DynamoDBRecord[]): StreamedRelease[] {
  const releases: StreamedRelease[] = [];
  for (const record of records) {
    const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    if (record.eventName !== 'INSERT' || !image || !sequenceNumber) continue;
    if (image.kind?.S !== releaseKind) continue;
    const taskDefinitionArn = image.task_definition_arn?.S;
    const containerId = image.container_id?.S;
    if (!taskDefinitionArn || !containerId) {
      // Corrupt: it names nothing to release, and would fail every retry. Logged, passed over.
      logger.error('release item is corrupt: no task definition or container', {
        sequence_number: sequenceNumber,
      });
      continue;
    }
    releases.push({ sequenceNumber, containerId, taskDefinitionArn });
  }
  return releases;
}

export function outboxFromStream(records: readonly DynamoDBRecord[]): StreamedRecord[] {
  const streamed: StreamedRecord[] = [];
  for (const record of records) {
    const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    const kind = image?.kind?.S;
    if (record.eventName !== 'INSERT' || !image || !sequenceNumber) continue;
    if (kind !== 'status-log' && kind !== outboxEventKind) continue;
    try {
      streamed.push(
        kind === 'status-log'
          ? { sequenceNumber, log: logFromItem(image) }
          : { sequenceNumber, event: outboxEventFromItem(image) },
      );
    } catch (error) {
      // A corrupt item would fail every retry and hold the stream up: it is logged and passed over.
      logger.error(kind === 'status-log' ? 'status log not published' : 'outbox event not published', {
        sequence_number: sequenceNumber,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return streamed;
}
