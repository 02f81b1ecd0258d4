import type { EcsEmulatorLogger } from './logger';

/** Cancels a scheduled callback; calling it after the callback ran does nothing. */
export type Cancel = () => void;

/**
 * Owns every timer of the emulator so that `close()` can stop them all at once and no test is
 * kept alive by a forgotten timeout.
 */
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();
  private disposed = false;

  constructor(private readonly logger: EcsEmulatorLogger) {}

  schedule(delayMs: number, callback: () => void): Cancel {
    if (this.disposed) return () => {};
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.run(callback);
    }, delayMs);
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Resolves after `delayMs`, or at once when the scheduler is disposed. */
  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.disposed) return resolve();
      const wake = () => {
        this.sleepers.delete(wake);
        cancel();
        resolve();
      };
      const cancel = this.schedule(delayMs, wake);
      this.sleepers.add(wake);
    });
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const wake of [...this.sleepers]) wake();
  }

  private run(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.logger.error('scheduled callback failed', error);
    }
  }
}
