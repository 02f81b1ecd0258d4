/** The paging every list of the container repository shares: Query pages, `skip`, and where the next page starts. */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { Page, PagePosition } from '../../ports/container-repository';
import { unlessUnavailable } from './dynamodb-errors';
import type { Item } from './items';
import type { TableTarget } from './table-calls';

export interface PageQuery {
  readonly limit: number;
  readonly start?: PagePosition | undefined;
  readonly skip?: number | undefined;
}

/**
 * One page of `limit` items. It asks for one item more than the page holds, so `next` is
 * exact: present only when another item really follows.
 */
export async function queryPage<T>(
  table: TableTarget,
  base: QueryCommandInput,
  query: PageQuery,
  indexName: string,
  parse: (item: Item) => T,
): Promise<Page<T>> {
  let start = query.start as Item | undefined;
  if (query.skip) start = await skip(table, base, indexName, query.skip, start);
  if (query.skip && !start) return { items: [], next: undefined };
  const items: Item[] = [];
  do {
    const { Items = [], LastEvaluatedKey } = await unlessUnavailable(
      table.client.send(
        new QueryCommand({ ...base, Limit: query.limit + 1 - items.length, ExclusiveStartKey: start }),
      ),
    );
    items.push(...Items);
    start = LastEvaluatedKey;
  } while (start && items.length <= query.limit);
  const pageItems = items.slice(0, query.limit);
  const last = pageItems[pageItems.length - 1];
  return {
    items: pageItems.map(parse),
    next: items.length > query.limit && last ? positionOf(last, indexName) : undefined,
  };
}

/** Walks past `count` items reading keys only; returns where the page starts. */
async function skip(
  table: TableTarget,
  base: QueryCommandInput,
  indexName: string,
  count: number,
  from: Item | undefined,
) {
  let start = from;
  let remaining = count;
  while (remaining > 0) {
    const { Items = [], LastEvaluatedKey } = await unlessUnavailable(
      table.client.send(
        new QueryCommand({
          ...base,
          Limit: remaining,
          ExclusiveStartKey: start,
          ProjectionExpression: `pk, sk, ${indexName}pk, ${indexName}sk`,
        }),
      ),
    );
    remaining -= Items.length;
    const last = Items[Items.length - 1];
    if (remaining === 0 && last) return positionOf(last, indexName) as Item;
    if (!LastEvaluatedKey) return undefined;
    start = LastEvaluatedKey;
  }
  return start;
}

/** The ExclusiveStartKey of an index query that resumes after `item`. */
function positionOf(item: Item, indexName: string): PagePosition {
  const keys = ['pk', 'sk', `${indexName}pk`, `${indexName}sk`];
  return Object.fromEntries(keys.map((key) => [key, item[key]]));
}
