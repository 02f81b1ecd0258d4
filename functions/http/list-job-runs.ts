import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import * as jobRunReads from '../../lib/adapters/dynamodb/job-run-reads';
import { cursorCodecOnce, httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { nextCursor, queryScope, readCursor } from '../../lib/http/pagination';
import { jobRunsQuery } from '../../lib/http/schemas/list-queries';
import { jobRunsPath } from '../../lib/http/schemas/paths';
import { jobRunView } from '../../lib/http/views';
import { listJobRuns } from '../../lib/use-cases/list-job-runs';
import { tableRepository } from '../../lib/wiring/table';

const deps = {
  ...httpApp().deps,
  repository: tableRepository({
    getContainer,
    listJobRuns: jobRunReads.listJobRuns,
    getJobRun: jobRunReads.getJobRun,
  }),
};
const cursors = cursorCodecOnce();

/** GET /v1/projects/{project_id}/jobs/{job_id}/containers: the job's runs, newest first, or `?run_id=`'s. */
export const handler = httpHandler(
  { scope: scopes.read, path: jobRunsPath, query: jobRunsQuery, idParameter: 'job_id' },
  async ({ caller, path, query }) => {
    const limit = query.limit ?? 20;
    const scope = queryScope(caller.id, `job-runs/${path.job_id}`, { project: path.project_id });
    const cursor = readCursor(cursors, query.cursor, scope);
    const runs = await listJobRuns(deps, {
      actor: caller,
      projectId: path.project_id,
      jobId: path.job_id,
      runId: query.run_id,
      limit,
      start: cursor?.key,
    });
    return {
      status: 200,
      body: {
        data: { job_id: path.job_id, containers: runs.items.map(jobRunView) },
        pagination: {
          has_next_page: runs.next !== undefined,
          cursor: nextCursor(cursors, runs.next, cursor?.page ?? 1, scope),
          count: runs.items.length,
          limit,
        },
      },
    };
  },
);
