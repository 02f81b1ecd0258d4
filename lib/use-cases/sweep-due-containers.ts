import type { Container } from '../domain/container';
import type { Clock } from '../ports/clock';
import type { Page, PagePosition, ScheduleQuery } from '../ports/container-repository';

/** One pass of a scheduled function over a sharded work list of the repository. */
export interface DueSweep<R> {
  /** Reads one page of one shard of the work list. */
  readonly list: (query: ScheduleQuery) => Promise<Page<Container>>;
  readonly shards: number;
  /** ISO time: entries at or before it are due. */
  readonly upTo: string;
  /** No page is read and no container is started after this time. */
  readonly stopBy: Date;
  readonly clock: Clock;
  /** Containers worked on at once. */
  readonly concurrency: number;
  /** Entries read per query. */
  readonly pageSize: number;
  /** What to do with one due container; it should not throw, but say how it went. */
  readonly work: (container: Container) => Promise<R>;
}

export interface SweepResult<R> {
  /** One per container worked on, in no particular order. */
  readonly outcomes: readonly R[];
  /** False when the time ran out before every shard was read to its end. */
  readonly complete: boolean;
}

/**
 * Reads every shard of a work list page by page and works on each due container, at most
 * `concurrency` at a time, until the list ends or `stopBy` comes. What is left is still on the
 * list, so the next run carries on.
 */
export async function sweepDueContainers<R>(sweep: DueSweep<R>): Promise<SweepResult<R>> {
  const outcomes: R[] = [];
  const mayStart = () => sweep.clock.now() < sweep.stopBy;
  for (let shard = 0; shard < sweep.shards; shard += 1) {
    let start: PagePosition | undefined;
    do {
      if (!mayStart()) return { outcomes, complete: false };
      const page = await sweep.list({ shard, upTo: sweep.upTo, limit: sweep.pageSize, start });
      const finished = await inPool(page.items, sweep.concurrency, mayStart, sweep.work, outcomes);
      if (!finished) return { outcomes, complete: false };
      start = page.next;
    } while (start);
  }
  return { outcomes, complete: true };
}

/**
 * Runs `work` over the items with at most `size` in flight, starting each only while `mayStart()`
 * holds. Pushes each result into `results`; answers whether every item was started.
 */
async function inPool<T, R>(
  items: readonly T[],
  size: number,
  mayStart: () => boolean,
  work: (item: T) => Promise<R>,
  results: R[],
): Promise<boolean> {
  let next = 0;
  let cutShort = false;
  const worker = async () => {
    for (;;) {
      const item = items[next];
      if (item === undefined) return;
      if (!mayStart()) {
        cutShort = true;
        return;
      }
      next += 1;
      results.push(await work(item));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
  return !cutShort;
}
