import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { projectPath, projectSchedulePreviewQuery } from '../../lib/http/schemas';
import { schedulePreviewView } from '../../lib/http/views';
import { previewSchedule } from '../../lib/use-cases/preview-schedule';
import { scheduleRepositoryOnce } from '../../lib/wiring/schedules';

const deps = { ...httpApp().deps, schedules: scheduleRepositoryOnce() };

/** GET /v1/projects/{project_id}/schedule/preview?count=N: the next N transitions and the hours saved a week. */
export const handler = httpHandler(
  { scope: scopes.read, path: projectPath, query: projectSchedulePreviewQuery },
  async ({ caller, path, query }) => {
    const preview = await previewSchedule(deps, {
      actor: caller,
      target: { projectId: path.project_id, ownerId: query.owner_id },
      count: query.count,
    });
    return { status: 200, body: { data: schedulePreviewView(preview) } };
  },
);
