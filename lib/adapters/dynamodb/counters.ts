import type { Container } from '../../domain/container';
import { counterNames } from './keys';

/** Counter deltas, by attribute name, that keep an owner's list totals exact. */
export type CounterDeltas = Map<string, number>;

function add(deltas: CounterDeltas, name: string, delta: number): void {
  deltas.set(name, (deltas.get(name) ?? 0) + delta);
}

/** What a container adds to (+1) or takes from (-1) its owner's counters. */
export function containerCounters(container: Container, sign: 1 | -1, deltas: CounterDeltas = new Map()) {
  add(deltas, counterNames.all, sign);
  if (container.status !== 'expired') add(deltas, counterNames.live, sign);
  add(deltas, counterNames.status(container.status), sign);
  add(deltas, counterNames.project(container.projectId), sign);
  add(deltas, counterNames.projectStatus(container.projectId, container.status), sign);
  return deltas;
}

/** The counters a status change moves: from the old status to the new one. */
export function transitionCounters(before: Container, after: Container): CounterDeltas {
  const deltas = containerCounters(after, 1, containerCounters(before, -1));
  for (const [name, delta] of deltas) if (delta === 0) deltas.delete(name);
  return deltas;
}

/** `ADD #c0 :c0, #c1 :c1` with its names and values, or undefined when nothing moves. */
export function addExpression(deltas: CounterDeltas) {
  const entries = [...deltas].filter(([, delta]) => delta !== 0);
  if (entries.length === 0) return undefined;
  return {
    expression: `ADD ${entries.map((_, index) => `#c${index} :c${index}`).join(', ')}`,
    names: Object.fromEntries(entries.map(([name], index) => [`#c${index}`, name])),
    values: Object.fromEntries(entries.map(([, delta], index) => [`:c${index}`, { N: String(delta) }])),
  };
}
