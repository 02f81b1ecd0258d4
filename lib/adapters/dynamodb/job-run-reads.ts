/** Reads of a job's run records, beside the job in its partition: newest first, or one by id. */
import type { JobRun } from '../../domain/container';
import type { JobRunQuery, Page } from '../../ports/container-repository';
import { getItem } from './item-reads';
import { runFromItem } from './job-run-items';
import { containerKey, runKey, runPrefix } from './keys';
import type { TableTarget } from './table-calls';
import { queryPage } from './table-pages';

export function listJobRuns(table: TableTarget, query: JobRunQuery): Promise<Page<JobRun>> {
  return queryPage(
    table,
    {
      TableName: table.config.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :runs)',
      ExpressionAttributeValues: {
        ':pk': { S: containerKey(query.containerId).pk },
        ':runs': { S: runPrefix },
      },
      ScanIndexForward: false,
      ConsistentRead: true,
    },
    query,
    // The base table: a page resumes after the item's own pk and sk.
    '',
    runFromItem,
  );
}

export async function getJobRun(
  table: TableTarget,
  containerId: string,
  runId: string,
): Promise<JobRun | undefined> {
  const item = await getItem(table, runKey(containerId, runId));
  return item ? runFromItem(item) : undefined;
}
