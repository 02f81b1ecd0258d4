/**
 * A local stand-in for EventBridge Scheduler: runs each job every `intervalMs`. A run that is
 * still going when the next is due is not started twice, as a rate schedule with a single
 * concurrent Lambda would behave; a failing run is logged and the schedule goes on.
 */
export interface ScheduledJob {
  readonly name: string;
  readonly intervalMs: number;
  run(): Promise<void>;
}

export interface LocalScheduler {
  /** Stops scheduling and waits for runs in progress to finish. */
  stop(): Promise<void>;
}

export type LogLine = (line: string) => void;

export function startLocalScheduler(
  jobs: readonly ScheduledJob[],
  log: LogLine = console.error,
): LocalScheduler {
  const running = new Map<string, Promise<void>>();
  const timers = jobs.map((job) =>
    setInterval(() => {
      if (running.has(job.name)) return;
      const run = job
        .run()
        .catch((error: unknown) => log(`scheduled job ${job.name} failed: ${describe(error)}`))
        .finally(() => running.delete(job.name));
      running.set(job.name, run);
    }, job.intervalMs),
  );
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running.values());
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
