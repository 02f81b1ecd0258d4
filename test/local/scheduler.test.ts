import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLocalScheduler } from '../../local/scheduler';

describe('local scheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs a job once per interval', async () => {
    // Prepare
    vi.useFakeTimers();
    let runs = 0;
    const scheduler = startLocalScheduler([
      { name: 'sweep', intervalMs: 1000, run: async () => void runs++ },
    ]);

    // Act
    await vi.advanceTimersByTimeAsync(3500);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(3000);

    // Assess
    expect(runs).toBe(3);
  });

  it('does not start a run while the previous run of the same job is still going', async () => {
    // Prepare
    vi.useFakeTimers();
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const slowJob = {
      name: 'slow',
      intervalMs: 100,
      run: async () => {
        runs += 1;
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise((resolve) => setTimeout(resolve, 250));
        concurrent -= 1;
      },
    };
    const scheduler = startLocalScheduler([slowJob]);

    // Act
    await vi.advanceTimersByTimeAsync(1000);
    const stopped = scheduler.stop();
    await vi.advanceTimersByTimeAsync(300);
    await stopped;

    // Assess
    expect(maxConcurrent).toBe(1);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(runs).toBeLessThanOrEqual(4);
  });

  it('logs a failing run and keeps the schedule going', async () => {
    // Prepare
    vi.useFakeTimers();
    const lines: string[] = [];
    let runs = 0;
    const failing = {
      name: 'flaky',
      intervalMs: 100,
      run: async () => {
        runs += 1;
        throw new Error('boom');
      },
    };
    const scheduler = startLocalScheduler([failing], (line) => lines.push(line));

    // Act
    await vi.advanceTimersByTimeAsync(350);
    await scheduler.stop();

    // Assess
    expect(runs).toBe(3);
    expect(lines).toEqual(Array(3).fill('scheduled job flaky failed: Error: boom'));
  });
});
