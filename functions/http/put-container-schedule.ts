import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { idPath } from '../../lib/http/schemas/paths';
import { scheduleBody } from '../../lib/http/schemas/schedules';
import { scheduleView } from '../../lib/http/views';
import { putSchedule } from '../../lib/use-cases/put-schedule';
import { scheduleRepositoryOnce } from '../../lib/wiring/schedules';
import { tableRepository } from '../../lib/wiring/table';

const deps = {
  ...httpApp().deps,
  repository: tableRepository({ getContainer }),
  schedules: scheduleRepositoryOnce(),
};

/** PUT /v1/containers/{id}/schedule: sets (or replaces) the weekly schedule; 201 when new. */
export const handler = httpHandler(
  { scope: scopes.write, path: idPath, body: scheduleBody },
  async ({ caller, path, body }) => {
    const { schedule, created } = await putSchedule(deps, {
      actor: caller,
      target: { containerId: path.id },
      timeZone: body.time_zone,
      windows: body.windows,
    });
    const view = scheduleView({ schedule, source: 'container' }, deps.clock.now(), path.id);
    return { status: created ? 201 : 200, body: { data: view } };
  },
);
