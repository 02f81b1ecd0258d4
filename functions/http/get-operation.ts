import { getContainer } from '../../lib/adapters/dynamodb/container-reads';
import { getTransitionRecord } from '../../lib/adapters/dynamodb/status-log-reads';
import { httpApp } from '../../lib/http/app';
import { scopes } from '../../lib/http/caller';
import { httpHandler } from '../../lib/http/http-handler';
import { getOperationQuery, operationIdPath, retryAfterWhile } from '../../lib/http/long-poll';
import { operationView } from '../../lib/http/views';
import { getOperation } from '../../lib/use-cases/get-operation';
import { tableRepository } from '../../lib/wiring/table';

const deps = {
  ...httpApp().deps,
  repository: tableRepository({ getTransitionRecord, getContainer }),
};

/** GET /v1/operations/{id}: an accepted operation, and with `?wait=N` once it has ended (N s at most). */
export const handler = httpHandler(
  {
    scope: scopes.read,
    path: operationIdPath,
    query: getOperationQuery,
    invalidIdMessage: 'Operation id must be an operation_id this API returned',
  },
  async ({ caller, path, query }) => {
    const operation = await getOperation(deps, {
      actor: caller,
      operationId: path.id,
      waitSeconds: query.wait,
    });
    return {
      status: 200,
      body: { data: operationView(operation) },
      headers: retryAfterWhile(operation.status === 'pending'),
    };
  },
);
