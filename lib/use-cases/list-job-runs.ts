import type { JobRun } from '../domain/container';
import { DomainError, ValidationError } from '../domain/errors';
import type { Page, PagePosition } from '../ports/container-repository';
import type { Actor, RepositoryDependencies } from './dependencies';
import { loadContainer } from './load-container';

export interface ListJobRunsInput {
  readonly actor: Actor;
  readonly projectId: string;
  readonly jobId: string;
  /** Only this run: RUN_NOT_FOUND when the job has none such. */
  readonly runId?: string | undefined;
  readonly limit: number;
  readonly start?: PagePosition | undefined;
}

/**
 * A job's runs, newest first, or the one asked for. The job must be the actor's (admins: anyone's)
 * and in the project named, else CONTAINER_NOT_FOUND, as for any container not the caller's; a
 * service has no runs, and naming one is a VALIDATION_ERROR. The container and its runs are read
 * at once: the runs are only returned once the container has been found to be the caller's job.
 */
export async function listJobRuns(
  deps: RepositoryDependencies<'getContainer' | 'listJobRuns' | 'getJobRun'>,
  input: ListJobRunsInput,
): Promise<Page<JobRun>> {
  const { repository } = deps;
  const [container, runs] = await Promise.all([
    loadContainer(repository, input.actor, input.jobId),
    input.runId === undefined
      ? repository.listJobRuns({ containerId: input.jobId, limit: input.limit, start: input.start })
      : repository
          .getJobRun(input.jobId, input.runId)
          .then((run): Page<JobRun> => ({ items: run ? [run] : [], next: undefined })),
  ]);
  if (container.projectId !== input.projectId) {
    throw new DomainError('CONTAINER_NOT_FOUND', 'Container not found');
  }
  if (container.kind !== 'job') {
    throw new ValidationError([{ field: 'path.job_id', message: 'is a service, not a job: it has no runs' }]);
  }
  if (input.runId !== undefined && runs.items.length === 0) {
    throw new DomainError('RUN_NOT_FOUND', `The job has no run ${input.runId}`);
  }
  return runs;
}
