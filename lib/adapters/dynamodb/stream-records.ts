/**
 * The table's stream records, as Lambda (and the local poller) hand them on, read back into what
 * goes out: new status-log items (transitions) and new outbox items (events a function sent
 * through the table), in stream order. Every other write is passed over.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { logger } from '../../logger';
import type { StreamedRecord } from '../../use-cases/publish-transitions';
import { outboxEventFromItem, outboxEventKind } from './outbox-items';
import { logFromItem } from './status-log-items';

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
