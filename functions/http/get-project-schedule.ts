import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { projectPath, projectScheduleQuery } from '../../lib/http/schemas';
import { scheduleView } from '../../lib/http/views';
import { getSchedule } from '../../lib/use-cases/get-schedule';
import { scheduleRepositoryOnce } from '../../lib/wiring/schedules';

const deps = { ...httpApp().deps, schedules: scheduleRepositoryOnce() };

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
