import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { httpApp, idempotentRequestsOnce } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { projectPath } from '../../lib/http/schemas/paths';
import { projectScheduleQuery } from '../../lib/http/schemas/schedules';
import { deleteSchedule } from '../../lib/use-cases/delete-schedule';
import { scheduleRepositoryOnce } from '../../lib/wiring/schedules';
import { tableRepository } from '../../lib/wiring/table';

const { deps: tableDeps } = httpApp();
const idempotency = idempotentRequestsOnce();
const deps = {
  ...tableDeps,
  repository: tableRepository({ getContainer }),
  schedules: scheduleRepositoryOnce(),
};

/** DELETE /v1/projects/{project_id}/schedule: removes its own weekly schedule; nothing starts or stops now. */
export const handler = httpHandler(
  { scope: scopes.write, idempotency, path: projectPath, query: projectScheduleQuery },
  async ({ caller, path, query }) => {
    await deleteSchedule(deps, {
      actor: caller,
      target: { projectId: path.project_id, ownerId: query.owner_id },
    });
    return { status: 204 };
  },
);
