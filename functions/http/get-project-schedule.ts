import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { projectPath } from '../../lib/http/schemas/paths';
import { projectScheduleQuery } from '../../lib/http/schemas/schedules';
import { scheduleView } from '../../lib/http/views';
import { getSchedule } from '../../lib/use-cases/get-schedule';
import { scheduleRepositoryOnce } from '../../lib/wiring/schedules';
import { tableRepository } from '../../lib/wiring/table';

const deps = {
  ...httpApp().deps,
  repository: tableRepository({ getContainer }),
  schedules: scheduleRepositoryOnce(),
};

/** GET /v1/projects/{project_id}/schedule: the weekly schedule that applies, and its next transition. */
export const handler = httpHandler(
  { scope: scopes.read, path: projectPath, query: projectScheduleQuery },
  async ({ caller, path, query }) => {
    const effective = await getSchedule(deps, {
      actor: caller,
      target: { projectId: path.project_id, ownerId: query.owner_id },
    });
    return { status: 200, body: { data: scheduleView(effective, deps.clock.now()) } };
  },
);
