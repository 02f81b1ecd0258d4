import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { httpApp, idempotentRequestsOnce } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { idPath } from '../../lib/http/schemas/paths';
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

/** DELETE /v1/containers/{id}/schedule: removes its own weekly schedule; nothing starts or stops now. */
export const handler = httpHandler(
  { scope: scopes.write, idempotency, path: idPath },
  async ({ caller, path }) => {
    await deleteSchedule(deps, { actor: caller, target: { containerId: path.id } });
    return { status: 204 };
  },
);
