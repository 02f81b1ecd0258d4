/**
 * The contract's Idempotency-Key: on POST and DELETE, the same key with the same request within the
 * store's TTL answers the first response again (marked `idempotent-replayed: true`); the same key with
 * a different request is 422 IDEMPOTENCY_KEY_REUSED. Only responses below 500 are remembered: a
 * failed request (thrown error or 5xx) releases the key so that a retry runs again.
 */
import { createHash } from 'node:crypto';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { DomainError, ValidationError } from '../domain/errors';
import type { IdempotencyRequest, IdempotencyStore, StoredResponse } from '../ports/idempotency-store';
import { callerFromClaims } from './caller';
import type { Middleware, MiddlewareRequest } from './middleware';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type Result = APIGatewayProxyStructuredResultV2;
type IdempotencyMiddlewareRequest = MiddlewareRequest<Event, Result, Context>;

export interface IdempotencyOptions {
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Where skipped stores and failed store calls are reported. @default console.warn */
  readonly warn?: (entry: Readonly<Record<string, unknown>>) => void;
}

/** Header names, lower-cased as API Gateway HTTP APIs deliver them. */
export const idempotencyHeaders = {
  key: 'idempotency-key',
  replayed: 'idempotent-replayed',
} as const;

/**
 * Bodies at or above this size (350 KiB) are not stored: a DynamoDB item holds at most 400 KB.
 * Written as a literal: esbuild keeps a top-level `350 * 1024` in every bundle that imports this
 * module, also in those that never call it.
 */
export const MAX_STORED_BODY_BYTES = 358_400;

/** The middleware of one store, as httpHandler takes it. */
export type IdempotencyMiddleware = Middleware<Event, Result, Context>;

const guardedMethods = new Set(['POST', 'DELETE']);
const validKey = /^[\x20-\x7E]{1,255}$/;

/**
 * The middleware (lib/http/middleware.ts) enforcing Idempotency-Key. Use it after (inside) the middleware that checks the
 * caller and validates the request, and after the error mapper, so that its `onError` runs before
 * the mapper's: it releases the key and leaves the error for the mapper to answer.
 */
export function idempotency(
  store: IdempotencyStore,
  options: IdempotencyOptions = {},
): Middleware<Event, Result, Context> {
  const now = options.now ?? (() => new Date());
  const warn = options.warn ?? ((entry) => console.warn(JSON.stringify({ level: 'WARN', ...entry })));
  // The requests whose key this invocation claimed: only those may be completed or released.
  const claims = new WeakMap<IdempotencyMiddlewareRequest, IdempotencyRequest>();

  const releaseQuietly = async (claim: IdempotencyRequest, reason: string) => {
    try {
      await store.release(claim);
    } catch (error) {
      // Never mask the request's own outcome; the record expires or is taken over as abandoned.
      warn({ message: 'idempotency key not released', reason, error: errorSummary(error) });
    }
  };

  return {
    before: async (request) => {
      const claim = claimFor(request.event);
      if (!claim) return undefined;
      const outcome = await store.begin({ ...claim, now: now() });
      switch (outcome.kind) {
        case 'new':
          claims.set(request, claim);
          return undefined;
        case 'replay':
          return replayed(outcome.response);
        case 'mismatch':
          throw new DomainError(
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was used with a different request',
          );
        case 'in-progress':
          throw new DomainError(
            'OPERATION_STATE_CONFLICT',
            'A request with this Idempotency-Key is still in progress; retry once it has finished',
          );
      }
    },

    after: async (request) => {
      const claim = takeClaim(claims, request);
      if (!claim) return;
      const response = request.response ? toStoredResponse(request.response) : undefined;
      if (!response || response.status >= 500) return releaseQuietly(claim, 'server error');
      if (Buffer.byteLength(response.body ?? '', 'utf8') >= MAX_STORED_BODY_BYTES) {
        warn({ message: 'response too large to store for Idempotency-Key; released instead' });
        return releaseQuietly(claim, 'response too large');
      }
      try {
        await store.complete({ ...claim, response, now: now() });
      } catch (error) {
        // The work is done and its answer is on its way: failing now would invite a retry that does
        // it twice. The unfinished record makes a retry wait, then take over once abandoned.
        warn({ message: 'idempotency response not stored', error: errorSummary(error) });
      }
    },

    onError: async (request) => {
      const claim = takeClaim(claims, request);
      if (claim) await releaseQuietly(claim, 'request failed');
    },
  };
}

/** What identifies this request for Idempotency-Key, or undefined when it is not guarded. */
function claimFor(event: Event): IdempotencyRequest | undefined {
  if (!guardedMethods.has(event.requestContext.http.method.toUpperCase())) return undefined;
  const key = event.headers?.[idempotencyHeaders.key];
  if (key === undefined) return undefined;
  if (!validKey.test(key)) {
    throw new ValidationError([
      {
        field: `headers.${idempotencyHeaders.key}`,
        message: 'Idempotency-Key must be 1 to 255 printable ASCII characters',
      },
    ]);
  }
  // Without a subject the request is rejected by the caller check; there is no owner to key on.
  const ownerId = callerFromClaims(event.requestContext.authorizer?.jwt?.claims)?.id;
  if (ownerId === undefined) return undefined;
  return { ownerId, key, requestHash: requestHash(event) };
}

/**
 * Two requests are the same when method, route, path, precondition (If-Match) and body text are
 * the same: a retry that asks for another version is another request.
 */
export function requestHash(event: Event): string {
  const parts = [
    event.requestContext.http.method,
    event.routeKey,
    event.rawPath,
    event.headers?.['if-match'] ?? '',
    event.body ?? '',
  ];
  // JSON framing keeps the parts apart: no two different lists serialize to the same text.
  return createHash('sha256').update(JSON.stringify(parts), 'utf8').digest('hex');
}

function takeClaim(
  claims: WeakMap<IdempotencyMiddlewareRequest, IdempotencyRequest>,
  request: IdempotencyMiddlewareRequest,
): IdempotencyRequest | undefined {
  const claim = claims.get(request);
  claims.delete(request);
  return claim;
}

function toStoredResponse(result: Result): StoredResponse {
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  return {
    status: result.statusCode ?? 200,
    headers,
    ...(result.body === undefined ? {} : { body: result.body }),
  };
}

function replayed(response: StoredResponse): Result {
  return {
    statusCode: response.status,
    headers: { ...response.headers, [idempotencyHeaders.replayed]: 'true' },
    ...(response.body === undefined ? {} : { body: response.body }),
  };
}

function errorSummary(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
}
