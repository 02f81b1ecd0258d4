import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { containerSchedulePreviewQuery, idPath } from '../../lib/http/schemas';
import { schedulePreviewView } from '../../lib/http/views';
import { previewSchedule } from '../../lib/use-cases/preview-schedule';
import { scheduleRepositoryOnce } from '../../lib/wiring/schedules';

const deps = { ...httpApp().deps, schedules: scheduleRepositoryOnce() };

/** GET /v1/containers/{id}/schedule/preview?count=N: the next N transitions and the hours saved a week. */
export const handler = httpHandler(
  { scope: scopes.read, path: idPath, query: containerSchedulePreviewQuery },
  async ({ caller, path, query }) => {
    const preview = await previewSchedule(deps, {
      actor: caller,
      target: { containerId: path.id },
      count: query.count,
    });
    return { status: 200, body: { data: schedulePreviewView(preview, path.id) } };
  },
);
