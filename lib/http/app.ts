/** What the HTTP functions share: the wiring and the cursor codec, built once per instance. */
import { DynamoDbIdempotencyStore } from '../adapters/dynamodb/idempotency-store';
import type { IdempotencyStore } from '../ports/idempotency-store';
import type { Dependencies } from '../use-cases/dependencies';
import { wiringOnce } from '../wiring';
import { type CursorCodec, createCursorCodec } from './cursor';

export interface HttpApp {
  readonly deps: Dependencies;
  readonly cursors: CursorCodec;
  readonly idempotency: IdempotencyStore;
}

let app: HttpApp | undefined;

/** Call at module scope: configuration errors then fail the cold start, loudly. */
export function httpApp(): HttpApp {
  if (!app) {
    const { deps, config, dynamoDb } = wiringOnce();
    app = {
      deps,
      cursors: createCursorCodec(config.CURSOR_SECRET),
      idempotency: new DynamoDbIdempotencyStore(dynamoDb, { tableName: config.TABLE_NAME }),
    };
  }
  return app;
}
