/**
 * The one factory every HTTP function goes through: it checks the caller and its scope, parses
 * and validates path, query and body (lib/schema), runs the endpoint, and turns every failure into
 * the contract's error body. Handlers built with it hold wiring only.
 */
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { DomainError, type FieldIssue, ValidationError } from '../domain/errors';
import { loggedError, logger } from '../logger';
import { recordOperation } from '../metrics';
import { appendLogKeys } from '../observability/invocation';
import { observed } from '../observability/observed';
import * as z from '../schema';
import { type Caller, callerFromClaims, hasScope, type Scope } from './caller';
import type { IdempotencyMiddleware } from './idempotency';
import { type Middleware, withMiddleware } from './middleware';
import { errorResponse, jsonResponse } from './responses';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface HttpRequestSchemas<TPath, TQuery, TBody> {
  readonly path?: z.Schema<TPath>;
  readonly query?: z.Schema<TQuery>;
  readonly body?: z.Schema<TBody>;
}

export interface HttpRequest<TPath = unknown, TQuery = unknown, TBody = unknown> {
  readonly caller: Caller;
  readonly requestId: string;
  readonly path: TPath;
  readonly query: TQuery;
  readonly body: TBody;
  /** Lower-cased request headers. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Milliseconds left before Lambda ends the invocation (where no context tells, Lambda's longest: 15 min). */
  readonly remainingTimeMs: () => number;
}

export interface HttpResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpHandlerOptions<TPath, TQuery, TBody> extends HttpRequestSchemas<TPath, TQuery, TBody> {
  /** The scope the caller's token must grant (containers:admin grants every scope). */
  readonly scope?: Scope;
  /**
   * Remembers POST and DELETE answers by `Idempotency-Key` (`idempotentRequestsOnce()` in app.ts);
   * without it the header is ignored. Given, not built here: a function that takes no key (every
   * GET) then bundles none of it.
   */
  readonly idempotency?: IdempotencyMiddleware;
  /** The INVALID_ID_FORMAT message for a bad `{id}`. @default the container id's */
  readonly invalidIdMessage?: string;
  /**
   * The lifecycle operation the route performs, counted in the `Operations` metric by outcome;
   * a function of the parsed path when the path names it (`unknown` if the path was refused).
   * @default not counted
   */
  readonly operation?: string | ((path: TPath) => string);
  /** The path parameter that holds the id: a bad one is INVALID_ID_FORMAT. @default 'id' */
  readonly idParameter?: string;
}

/**
 * The largest request body any route reads, in bytes. The largest useful create body is a few KB;
 * a container item must fit DynamoDB's 400 KB and its task definition ECS's 64 KiB, so a bigger
 * body could only fail later, as a 500. Refused as VALIDATION_ERROR because the contract's error
 * list is closed: the gateway's own 413 stays for bodies past API Gateway's 10 MB.
 */
export const MAX_BODY_BYTES = 64 * 1024;

interface HttpContext extends Context {
  request?: HttpRequest;
}

export function httpHandler<TPath = unknown, TQuery = unknown, TBody = unknown>(
  options: HttpHandlerOptions<TPath, TQuery, TBody>,
  handle: (request: HttpRequest<TPath, TQuery, TBody>) => Promise<HttpResponse>,
) {
  // `before` runs in this order and `onError` in reverse: the caller and input are checked before
  // a key is claimed, and a failed request releases its key before the error is mapped.
  const middlewares: Middleware<HttpEvent, HttpResult, HttpContext>[] = [
    requestObservation(options),
    errorMapper(),
    requestParser(options),
  ];
  if (options.idempotency) middlewares.push(options.idempotency);
  return observed(
    withMiddleware<HttpEvent, HttpResult, HttpContext>(middlewares, async (_event, context) => {
      if (!context.request) throw new Error('the request parser did not run');
      const response = await handle(context.request as HttpRequest<TPath, TQuery, TBody>);
      return jsonResponse(response.status, response.body, response.headers);
    }),
  );
}

/**
 * First in, last out: the request id goes on every log line of the request, and the operation is
 * counted once the answer is known, `accepted` or the code of the error that refused it. An
 * idempotent replay (answered by a `before`) is not counted again.
 */
function requestObservation<TPath, TQuery, TBody>(
  options: HttpHandlerOptions<TPath, TQuery, TBody>,
): Middleware<HttpEvent, HttpResult, HttpContext> {
  const operationOf = (context: HttpContext): string | undefined => {
    if (typeof options.operation !== 'function') return options.operation;
    return context.request ? options.operation(context.request.path as TPath) : 'unknown';
  };
  return {
    before: ({ event, context }) => {
      context.request = undefined;
      appendLogKeys({ request_id: event.requestContext?.requestId });
      return undefined;
    },
    after: ({ context }) => {
      const operation = operationOf(context);
      if (operation) recordOperation(operation);
    },
    onError: ({ context, error }) => {
      const operation = operationOf(context);
      if (operation)
        recordOperation(operation, error instanceof DomainError ? error.code : 'INTERNAL_SERVER_ERROR');
    },
  };
}

function requestParser<TPath, TQuery, TBody>(
  options: HttpHandlerOptions<TPath, TQuery, TBody>,
): Middleware<HttpEvent, HttpResult, HttpContext> {
  return {
    before: ({ event, context }) => {
      const requestId = event.requestContext.requestId;
      const caller = callerFromClaims(event.requestContext.authorizer?.jwt?.claims);
      if (!caller) throw new DomainError('INVALID_TOKEN', 'The bearer token carries no subject');
      appendLogKeys({ owner_id: caller.id });
      if (options.scope && !hasScope(caller, options.scope)) {
        throw new DomainError('INSUFFICIENT_PERMISSIONS', `This request needs the ${options.scope} scope`, {
          details: { required_scope: options.scope },
        });
      }
      // The id is checked first and alone: a bad id is INVALID_ID_FORMAT before anything else runs.
      const path = parsePart('path', options.path, event.pathParameters ?? {}, options);
      appendLogKeys(containerIdKey(event, path));
      const query = parsePart('query', options.query, event.queryStringParameters ?? {});
      refuseLargeBody(event);
      const body = parsePart('body', options.body, options.body ? readJsonBody(event) : undefined);
      const remainingTimeMs = () => context.getRemainingTimeInMillis?.() ?? 900_000;
      context.request = {
        caller,
        requestId,
        path,
        query,
        body,
        headers: event.headers ?? {},
        remainingTimeMs,
      };
      return undefined;
    },
  };
}

/** `container_id` for the routes under /v1/containers/{id}, once the id has passed its schema. */
function containerIdKey(event: HttpEvent, path: unknown): { container_id?: string } {
  const id = (path as { id?: unknown } | undefined)?.id;
  return event.routeKey?.includes('/v1/containers/{id}') && typeof id === 'string'
    ? { container_id: id }
    : {};
}

function parsePart<T>(
  part: 'path' | 'query' | 'body',
  schema: z.Schema<T> | undefined,
  value: unknown,
  id: { invalidIdMessage?: string; idParameter?: string } = {},
): T {
  if (!schema) return value as T;
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    field: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const idField = `path.${id.idParameter ?? 'id'}`;
  if (part === 'path' && issues.some((issue) => issue.field === idField)) {
    throw new DomainError(
      'INVALID_ID_FORMAT',
      id.invalidIdMessage ?? 'Container id must be 24 lowercase hexadecimal characters',
    );
  }
  throw new ValidationError(issues);
}

function refuseLargeBody(event: HttpEvent): void {
  if (event.body === undefined) return;
  const bytes = Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (bytes > MAX_BODY_BYTES) {
    throw new ValidationError([
      {
        field: 'body',
        message: `The body is ${bytes} bytes, larger than the limit of ${MAX_BODY_BYTES} bytes`,
      },
    ]);
  }
}

function readJsonBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === '') return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError([{ field: 'body', message: 'The body is not valid JSON' }]);
  }
}

function errorMapper(): Middleware<HttpEvent, HttpResult, HttpContext> {
  return {
    onError: (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
      if (!(request.error instanceof DomainError)) {
        // Unknown errors are bugs: logged with the request id, never echoed to the caller.
        logger.error('unhandled error', {
          request_id: requestId,
          error: loggedError(request.error),
        });
      }
      request.response = errorResponse(request.error, requestId);
    },
  };
}
