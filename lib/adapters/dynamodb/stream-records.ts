/**
 * The table's stream records, as Lambda (and the local poller) hand them on, read back into
 * transitions. Only new status-log items are transitions: every other write is passed over.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { logger } from '../../logger';
import type { StreamedTransition } from '../../use-cases/publish-transitions';
import { logFromItem } from './items';

export function transitionsFromStream(records: readonly DynamoDBRecord[]): StreamedTransition[] {
  const transitions: StreamedTransition[] = [];
  for (const record of records) {
    const image = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    if (record.eventName !== 'INSERT' || image?.kind?.S !== 'status-log' || !sequenceNumber) continue;
    try {
      transitions.push({ sequenceNumber, log: logFromItem(image) });
    } catch (error) {
      // A corrupt item would fail every retry and hold the stream up: it is logged and passed over.
      logger.error('status log not published', {
        sequence_number: sequenceNumber,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return transitions;
}
