/**
 * What the HTTP functions share, each part built once per instance and only by the functions that
 * use it: the table wiring (all), the cursor codec (the lists) and the idempotency store (the
 * writes). A function that runs or stops tasks adds the ECS runtime itself (lib/wiring/ecs.ts).
 * Parts stay apart so a function bundles and builds only its own (issue 6's cold load).
 */
import { DynamoDbIdempotencyStore } from '../adapters/dynamodb/idempotency-store';
import type { IdempotencyStore } from '../ports/idempotency-store';
import type { SharedDependencies } from '../use-cases/dependencies';
import { tableWiringOnce } from '../wiring/table';
import { type CursorCodec, createCursorCodec } from './cursor';
import { type IdempotencyMiddleware, idempotency } from './idempotency';

export interface HttpApp {
  readonly deps: SharedDependencies;
}

let cursors: CursorCodec | undefined;
let idempotencyStore: IdempotencyStore | undefined;

/** Call at module scope: configuration errors then fail the cold start, loudly. */
export function httpApp(): HttpApp {
  return { deps: tableWiringOnce().deps };
}

/** The list cursors' codec, signed with the configured secret. Call at module scope. */
export function cursorCodecOnce(): CursorCodec {
  cursors ??= createCursorCodec(tableWiringOnce().config.CURSOR_SECRET);
  return cursors;
}

/** The store of Idempotency-Key records, for the functions that change something. Call at module scope. */
export function idempotencyStoreOnce(): IdempotencyStore {
  if (!idempotencyStore) {
    const { config, dynamoDb } = tableWiringOnce();
    idempotencyStore = new DynamoDbIdempotencyStore(dynamoDb, { tableName: config.TABLE_NAME });
  }
  return idempotencyStore;
}

/** Idempotency-Key handling over the instance's store, for httpHandler's `idempotency`. Call at module scope. */
export function idempotentRequestsOnce(): IdempotencyMiddleware {
  return idempotency(idempotencyStoreOnce());
}
