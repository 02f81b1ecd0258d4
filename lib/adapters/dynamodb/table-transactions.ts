/** TransactWriteItems for the container repository's writes, a failed condition told apart from a failure. */
import { type TransactWriteItem, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { cancellationReasons, unlessUnavailable } from './dynamodb-errors';
import type { TableTarget } from './table-calls';

/** Runs a transaction; returns the cancellation reasons when a condition failed. */
export async function transact(table: TableTarget, items: TransactWriteItem[], clientRequestToken?: string) {
  try {
    await unlessUnavailable(
      table.client.send(
        new TransactWriteItemsCommand({
          TransactItems: items,
          ...(clientRequestToken ? { ClientRequestToken: clientRequestToken } : {}),
        }),
      ),
    );
    return undefined;
  } catch (error) {
    // A conflict with another transaction in flight is a lost race like a failed condition.
    const reasons = cancellationReasons(error);
    if (!reasons) throw error;
    return reasons;
  }
}
