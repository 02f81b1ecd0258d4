import { familyOfTaskDefinition, taskDefinitionFamily } from '../domain/task-definition';
import type { ContainerRuntime } from '../ports/container-runtime';
import type { ScheduleRepository } from '../ports/schedule-repository';

/** A deleted container's task definition, as the table's stream hands the delete on. */
export interface StreamedRelease {
  readonly sequenceNumber: string;
  readonly containerId: string;
  readonly taskDefinitionArn: string;
}

export interface ReleaseTaskDefinitionsResult {
  /** Records done: the definition released and the container's schedule, if any, removed. */
  readonly released: number;
  /** Deleted containers whose own schedule was removed, freeing its place under the owner's limit. */
  readonly schedulesRemoved: number;
  /**
   * Releases passed over because their ARN is not of the container's own family
   * (`<prefix>-<containerId>`): whoever wrote them, they name no definition of ours to release.
   */
  readonly refused: readonly StreamedRelease[];
  /**
   * The first record not done (its definition not released, or its schedule not removed), when one
   * failed: the stream hands it and every record after it on again, so nothing is left for good.
   */
  readonly failedFrom: string | undefined;
  /** Why it failed, for the log. */
  readonly error?: string;
}

export interface ReleaseTaskDefinitionsDependencies {
  /** DeregisterTaskDefinition only. */
  readonly runtime: Pick<ContainerRuntime, 'deregisterTaskDefinition'>;
  /** A deleted container's own schedule, removed with its task definition. */
  readonly schedules: Pick<ScheduleRepository, 'deleteContainerSchedule'>;
  /** The deployment's task definition family prefix: a container's family is `<prefix>-<id>`. */
  readonly familyPrefix: string;
}

/**
 * Releases what deleted containers held, one after another, in stream order: the task definition,
 * and the container's own schedule with its place under the owner's schedule limit (else held until
 * the schedule's next edge, up to a week). A definition already gone (released by an earlier try,
 * or never known) counts as released, a schedule already gone as removed; a release whose ARN is
 * not the container's own family is refused, and nothing of it is touched. It stops at the first
 * call that fails (a throttled ECS fails the next one too) and says from which record the batch
 * must be retried; the records before it are not sent again.
 */
export async function releaseTaskDefinitions(
  deps: ReleaseTaskDefinitionsDependencies,
  releases: readonly StreamedRelease[],
): Promise<ReleaseTaskDefinitionsResult> {
  let released = 0;
  let schedulesRemoved = 0;
  const refused: StreamedRelease[] = [];
  for (const release of releases) {
    const family = taskDefinitionFamily(deps.familyPrefix, release.containerId);
    if (familyOfTaskDefinition(release.taskDefinitionArn) !== family) {
      refused.push(release);
      continue;
    }
    try {
      await deps.runtime.deregisterTaskDefinition(release.taskDefinitionArn);
      if (await deps.schedules.deleteContainerSchedule(release.containerId)) schedulesRemoved += 1;
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { released, schedulesRemoved, refused, failedFrom: release.sequenceNumber, error: reason };
    }
    released += 1;
  }
  return { released, schedulesRemoved, refused, failedFrom: undefined };
}
