import { listContainers } from '../../lib/adapters/dynamodb/container-lists';
import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { deleteContainer, saveWithoutTransition } from '../../lib/adapters/dynamodb/container-writes';
import { saveTransition } from '../../lib/adapters/dynamodb/transition-writes';
import { runTask, stopTask } from '../../lib/adapters/ecs/ecs-task-runner';
import { httpApp, idempotentRequestsOnce } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { refuseIfMatch } from '../../lib/http/if-match';
import { batchBody } from '../../lib/http/schemas/batch-body';
import { batchView } from '../../lib/http/views';
import { batchOperateContainers } from '../../lib/use-cases/batch-operate-containers';
import { ecsRuntime } from '../../lib/wiring/ecs';
import { tableRepository } from '../../lib/wiring/table';

const { deps: tableDeps } = httpApp();
const idempotency = idempotentRequestsOnce();
const deps = {
  ...tableDeps,
  repository: tableRepository({
    listContainers,
    getContainer,
    saveTransition,
    saveWithoutTransition,
    deleteContainer,
  }),
  runtime: ecsRuntime({ runTask, stopTask }),
};
/** Time kept back for the answer: no container is started on once less than this is left. */
const marginMs = 5_000;

/** POST /v1/containers/batch: one operation on each of the caller's containers a selector picks. */
export const handler = httpHandler(
  { scope: scopes.write, idempotency, body: batchBody, operation: 'batch' },
  async ({ caller, body, headers, remainingTimeMs }) => {
    refuseIfMatch(headers);
    const batch = await batchOperateContainers(deps, {
      actor: caller,
      operation: body.operation,
      selector: {
        status: body.selector.status,
        projectId: body.selector.project_id,
        idleSecondsGt: body.selector.idle_seconds_gt,
      },
      dryRun: body.dry_run,
      limit: body.limit,
      stopBy: new Date(Date.now() + remainingTimeMs() - marginMs),
    });
    return { status: 200, body: batchView(batch) };
  },
);
