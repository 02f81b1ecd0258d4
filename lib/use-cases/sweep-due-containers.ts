import type { Container } from '../domain/container';
import type { Clock } from '../ports/clock';
import type { Page, PagePosition, ScheduleQuery } from '../ports/container-repository';

/** What a work list holds: containers, or other items named by an id (weekly schedules). */
export interface SweepItem {
  readonly id: string;
}

/** One pass of a scheduled function over a sharded work list of the repository. */
export interface DueSweep<R, T extends SweepItem = Container> {
  /** Reads one page of one shard of the work list. */
  readonly list: (query: ScheduleQuery) => Promise<Page<T>>;
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
  readonly work: (container: T) => Promise<R>;
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
export async function sweepDueContainers<R, T extends SweepItem = Container>(
  sweep: DueSweep<R, T>,
): Promise<SweepResult<R>> {
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

/** A container a scheduled pass could not handle, for the log; the next run tries again. */
export interface SweepFailure {
  readonly containerId: string;
  readonly error: string;
}

export interface CountedSweep<R extends string> {
  /** Containers worked on. */
  readonly examined: number;
  /** How many ended with this outcome (`failed`: the work threw). */
  count(outcome: R | 'failed'): number;
  /** The first failures, enough to diagnose, few enough for one log line. */
  readonly failures: readonly SweepFailure[];
  readonly complete: boolean;
}

const failuresKept = 20;

/**
 * {@link sweepDueContainers} for work that may throw: a container whose work fails counts as
 * `failed`, and the pass goes on with the others.
 */
export async function sweepAndCount<R extends string, T extends SweepItem = Container>(
  sweep: DueSweep<R | 'failed', T>,
): Promise<CountedSweep<R>> {
  const failures: SweepFailure[] = [];
  const { outcomes, complete } = await sweepDueContainers<R | 'failed', T>({
    ...sweep,
    work: async (container) => {
      try {
        return await sweep.work(container);
      } catch (error) {
        if (failures.length < failuresKept)
          failures.push({ containerId: container.id, error: errorText(error) });
        return 'failed';
      }
    },
  });
  return {
    examined: outcomes.length,
    count: (outcome) => outcomes.filter((each) => each === outcome).length,
    failures,
    complete,
  };
}

/** An error's name and message, for a log line. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** What every scheduled pass shares: the shards, its time, the clock, and how much at once. */
export function passSettings(
  deps: { readonly repository: { readonly scheduleShards: number }; readonly clock: Clock },
  input: { readonly stopBy: Date; readonly concurrency?: number; readonly pageSize?: number },
) {
  return {
    shards: deps.repository.scheduleShards,
    stopBy: input.stopBy,
    clock: deps.clock,
    concurrency: input.concurrency ?? 5,
    pageSize: input.pageSize ?? 50,
  };
}
