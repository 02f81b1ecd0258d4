import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../../../lib/use-cases/poll';

/** A clock that only moves when the poll sleeps, and the pauses it slept. */
function fakeTime() {
  let now = Date.parse('2026-11-22T10:30:00.000Z');
  const pauses: number[] = [];
  return {
    clock: { now: () => new Date(now) },
    sleep: async (ms: number) => {
      pauses.push(ms);
      now += ms;
    },
    pauses,
  };
}

describe('pollUntil', () => {
  it('reads once and returns when no wait is asked for', async () => {
    // Prepare
    const time = fakeTime();
    let reads = 0;

    // Act
    const value = await pollUntil({
      read: async () => ++reads,
      done: () => false,
      waitMs: 0,
      ...time,
    });

    // Assess
    expect(value).toBe(1);
    expect(time.pauses).toEqual([]);
  });

  it('returns as soon as the value is done, without waiting out the time', async () => {
    // Prepare
    const time = fakeTime();
    let reads = 0;

    // Act
    const value = await pollUntil({
      read: async () => ++reads,
      done: (count) => count === 3,
      waitMs: 25_000,
      ...time,
    });

    // Assess
    expect(value).toBe(3);
    expect(time.pauses).toEqual([200, 300]);
  });

  it('pauses 200 ms first, growing to 1 s, and reads last at the deadline', async () => {
    // Prepare
    const time = fakeTime();
    let reads = 0;

    // Act
    const value = await pollUntil({
      read: async () => ++reads,
      done: () => false,
      waitMs: 5000,
      ...time,
    });

    // Assess
    expect(time.pauses).toEqual([200, 300, 450, 675, 1000, 1000, 1000, 375]);
    expect(time.pauses.reduce((sum, ms) => sum + ms, 0)).toBe(5000);
    expect(value).toBe(time.pauses.length + 1);
  });
});
