/**
 * What the HTTP functions share: the table wiring, the cursor codec and the idempotency store,
 * built once per instance. A function that runs or stops tasks adds the ECS runtime itself
 * (lib/wiring/ecs.ts), so the reading functions never bundle the ECS client.
 */
import { DynamoDbIdempotencyStore } from '../adapters/dynamodb/idempotency-store';
import type { IdempotencyStore } from '../ports/idempotency-store';
import type { TableDependencies } from '../use-cases/dependencies';
import { tableWiringOnce } from '../wiring/table';
import { type CursorCodec, createCursorCodec } from './cursor';

export interface HttpApp {
  readonly deps: TableDependencies;
  readonly cursors: CursorCodec;
  readonly idempotency: IdempotencyStore;
}

let app: HttpApp | undefined;

/** Call at module scope: configuration errors then fail the cold start, loudly. */
export function httpApp(): HttpApp {
  if (!app) {
    const { deps, config, dynamoDb } = tableWiringOnce();
    app = {
      deps,
      cursors: createCursorCodec(config.CURSOR_SECRET),
      idempotency: new DynamoDbIdempotencyStore(dynamoDb, { tableName: config.TABLE_NAME }),
    };
  }
  return app;
}
