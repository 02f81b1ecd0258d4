import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { projectPath } from '../../lib/http/schemas/paths';
import { projectSchedulePreviewQuery } from '../../lib/http/schemas/schedules';
import { schedulePreviewView } from '../../lib/http/views';
import { previewSchedule } from '../../lib/use-cases/preview-schedule';
import { scheduleRepositoryOnce } from '../../lib/wiring/schedules';
import { tableRepository } from '../../lib/wiring/table';

const deps = {
  ...httpApp().deps,
  repository: tableRepository({ getContainer }),
  schedules: scheduleRepositoryOnce(),
};

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
