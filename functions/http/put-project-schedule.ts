import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { projectPath } from '../../lib/http/schemas/paths';
import { projectScheduleQuery, scheduleBody } from '../../lib/http/schemas/schedules';
import { scheduleView } from '../../lib/http/views';
import { putSchedule } from '../../lib/use-cases/put-schedule';
import { scheduleRepositoryOnce } from '../../lib/wiring/schedules';
import { tableRepository } from '../../lib/wiring/table';

const deps = {
  ...httpApp().deps,
  repository: tableRepository({ getContainer }),
  schedules: scheduleRepositoryOnce(),
};

/** PUT /v1/projects/{project_id}/schedule: sets (or replaces) the weekly schedule; 201 when new. */
export const handler = httpHandler(
  { scope: scopes.write, path: projectPath, query: projectScheduleQuery, body: scheduleBody },
  async ({ caller, path, query, body }) => {
    const { schedule, created } = await putSchedule(deps, {
      actor: caller,
      target: { projectId: path.project_id, ownerId: query.owner_id },
      timeZone: body.time_zone,
      windows: body.windows,
    });
    const view = scheduleView({ schedule, source: 'project' }, deps.clock.now());
    return { status: created ? 201 : 200, body: { data: view } };
  },
);
