/**
 * What belongs to one invocation: the keys every log line of it carries and the metrics it
 * counted, until they are flushed. Kept in AsyncLocalStorage, not in module variables, because the
 * local stack runs many handlers at once in one process (and Lambda can run several invocations
 * in one instance): a request id must never end up on another request's lines.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Invocation {
  /** Keys added to every log line written inside the invocation. */
  readonly keys: Record<string, unknown>;
  /** Counts by metric and dimensions, published together when the invocation ends. */
  readonly counts: Map<string, CountedMetric>;
}

export interface CountedMetric {
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  value: number;
}

const storage = new AsyncLocalStorage<Invocation>();

let coldStart = true;

/** Runs `work` as one invocation; the first one of the instance is its cold start. */
export function inInvocation<T>(keys: Readonly<Record<string, unknown>>, work: () => Promise<T>): Promise<T> {
  const invocation: Invocation = { keys: { cold_start: coldStart, ...keys }, counts: new Map() };
  coldStart = false;
  return storage.run(invocation, work);
}

/**
 * The invocation running now; undefined outside one (a test or a local tool calling a use case
 * directly), where there is nothing to add to a log line and no end to publish counts at.
 */
export function currentInvocation(): Invocation | undefined {
  return storage.getStore();
}

/** Adds keys to every later log line of the current invocation; outside one, does nothing. */
export function appendLogKeys(keys: Readonly<Record<string, unknown>>): void {
  const invocation = currentInvocation();
  if (invocation) Object.assign(invocation.keys, keys);
}
