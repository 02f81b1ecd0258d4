import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { refuseIfMatch } from '../../lib/http/if-match';
import { batchBody } from '../../lib/http/schemas';
import { batchView } from '../../lib/http/views';
import { batchOperateContainers } from '../../lib/use-cases/batch-operate-containers';
import { ecsRuntimeOnce } from '../../lib/wiring/ecs';

const { deps: tableDeps, idempotency } = httpApp();
const deps = { ...tableDeps, runtime: ecsRuntimeOnce() };
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
