import { isFinished } from '../domain/container-status';
import { transition } from '../domain/transition';
import type { RuntimeDependencies } from './dependencies';
import { retryOnConflict } from './load-container';
import { passSettings, type SweepFailure, sweepAndCount } from './sweep-due-containers';

export interface ExpireInput {
  /** Start no new work after this time; the next run carries on where this one stopped. */
  readonly stopBy: Date;
  /** Containers worked on at once, to stay inside ECS's DeregisterTaskDefinition rate. @default 5 */
  readonly concurrency?: number;
  /** Entries read per query. @default 50 */
  readonly pageSize?: number;
}

export type ExpireFailure = SweepFailure;

export interface ExpireSummary {
  /** Containers read from the index as stopped past the retention. */
  readonly examined: number;
  readonly expired: number;
  /** Changed since they were read (started again, deleted): left as they are. */
  readonly skipped: number;
  /** ECS could not release the task definition, or the write failed: still stopped, tried again next run. */
  readonly failed: number;
  /** The first failures, for the log. */
  readonly failures: readonly ExpireFailure[];
  /** False when the time ran out before every shard was read. */
  readonly complete: boolean;
}

const secondsPerDay = 86_400;

type Outcome = 'expired' | 'skipped';

/** Expiring a container releases its task definition; its task has long stopped. */
export type ExpireContainersDependencies = RuntimeDependencies<
  'deregisterTaskDefinition',
  'listResting' | 'scheduleShards' | 'getContainer' | 'saveTransition'
>;

/**
 * Expires containers stopped (or, jobs, succeeded or failed) for longer than `settings.retentionSeconds`: their task definition is
 * released and they become `expired`, read-only for good. The work list is a sparse index of
 * stopped containers by last transition, so the reads grow with what is due, never with the fleet.
 *
 * The task definition is deregistered before the transition. Deregistering is idempotent, so when
 * ECS fails the container stays `stopped` and on the list, and the next run tries again; written
 * the other way round, an expired container with a task definition still registered would be on
 * no list at all.
 */
export async function expireContainers(
  deps: ExpireContainersDependencies,
  input: ExpireInput,
): Promise<ExpireSummary> {
  const now = deps.clock.now();
  const upTo = new Date(now.getTime() - deps.settings.retentionSeconds * 1000).toISOString();
  const { examined, count, failures, complete } = await sweepAndCount<Outcome>({
    list: (query) => deps.repository.listResting(query),
    ...passSettings(deps, input),
    upTo,
    work: (listed) => expireContainer(deps, listed.id, upTo),
  });
  return {
    examined,
    expired: count('expired'),
    skipped: count('skipped'),
    failed: count('failed'),
    failures,
    complete,
  };
}

async function expireContainer(
  deps: ExpireContainersDependencies,
  id: string,
  upTo: string,
): Promise<Outcome> {
  return retryOnConflict(async () => {
    // The index may lag: decide on the container as it is now.
    const container = await deps.repository.getContainer(id);
    if (!container || !isFinished(container.status)) return 'skipped';
    if (Date.parse(container.lastTransitionAt) > Date.parse(upTo)) return 'skipped';
    const { taskDefinitionArn } = container;
    if (taskDefinitionArn) await deps.runtime.deregisterTaskDefinition(taskDefinitionArn);
    const now = deps.clock.now();
    const at = now.toISOString();
    const stoppedSeconds = Math.floor((now.getTime() - Date.parse(container.lastTransitionAt)) / 1000);
    const retentionSeconds = deps.settings.retentionSeconds;
    const step = transition(container, {
      to: 'expired',
      at,
      recordedAt: at,
      transitionId: deps.ids.transitionId(container.id, container.version + 1),
      triggeredBy: 'reconciler',
      operation: null,
      reason: `stopped for ${duration(stoppedSeconds)}, past the retention of ${duration(retentionSeconds)}: expired`,
      metadata: {
        stopped_since: container.lastTransitionAt,
        retention_seconds: retentionSeconds,
        released_task_definition_arn: taskDefinitionArn,
      },
      changes: { expiresAt: at, ipAddress: null },
    });
    await deps.repository.saveTransition({ ...step, after: { ...step.after, taskDefinitionArn: null } });
    return 'expired';
  });
}

/** Whole days when the time is a day or more, else seconds. */
function duration(seconds: number): string {
  if (seconds < secondsPerDay) return `${seconds} s`;
  const days = Math.floor(seconds / secondsPerDay);
  return days === 1 ? '1 day' : `${days} days`;
}
