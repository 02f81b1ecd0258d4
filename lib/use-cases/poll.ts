import type { Clock } from '../ports/clock';

export interface PollOptions<T> {
  /** Reads the thing waited on; called once at once, then after each pause. */
  readonly read: () => Promise<T>;
  /** Whether the wait is over. */
  readonly done: (value: T) => boolean;
  /** How long to keep reading; 0 reads once. */
  readonly waitMs: number;
  readonly clock: Clock;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The first pause, and the longest: 200 ms, 300 ms, 450 ms, 675 ms, then 1 s apart. */
export const pollDelays = { firstMs: 200, factor: 1.5, maxMs: 1000 } as const;

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A long poll: reads until `done` or until `waitMs` have passed, with pauses that grow from
 * 200 ms to 1 s, so that a quick change is seen quickly and a slow one costs about one read a
 * second. The last read happens at the deadline; what it found is returned either way.
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
  const sleep = options.sleep ?? sleepFor;
  const deadline = options.clock.now().getTime() + options.waitMs;
  let value = await options.read();
  let delay: number = pollDelays.firstMs;
  for (;;) {
    const remaining = deadline - options.clock.now().getTime();
    if (options.done(value) || remaining <= 0) return value;
    await sleep(Math.min(delay, remaining));
    delay = Math.min(delay * pollDelays.factor, pollDelays.maxMs);
    value = await options.read();
  }
}
