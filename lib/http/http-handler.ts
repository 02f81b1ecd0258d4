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
import { logger } from '../logger';
import type { IdempotencyStore } from '../ports/idempotency-store';
import * as z from '../schema';
import { type Caller, callerFromClaims, hasScope, type Scope } from './caller';
import { idempotency } from './idempotency';
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
}

export interface HttpResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpHandlerOptions<TPath, TQuery, TBody> extends HttpRequestSchemas<TPath, TQuery, TBody> {
  /** The scope the caller's token must grant (containers:admin grants every scope). */
  readonly scope?: Scope;
  /** Where POST and DELETE remember answers by `Idempotency-Key`; without it the header is ignored. */
  readonly idempotency?: IdempotencyStore;
  /** The INVALID_ID_FORMAT message for a bad `{id}`. @default the container id's */
  readonly invalidIdMessage?: string;
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
    errorMapper(),
    requestParser(options),
  ];
  if (options.idempotency) middlewares.push(idempotency(options.idempotency));
  return withMiddleware<HttpEvent, HttpResult, HttpContext>(middlewares, async (_event, context) => {
    if (!context.request) throw new Error('the request parser did not run');
    const response = await handle(context.request as HttpRequest<TPath, TQuery, TBody>);
    return jsonResponse(response.status, response.body, response.headers);
  });
}

function requestParser<TPath, TQuery, TBody>(
  options: HttpHandlerOptions<TPath, TQuery, TBody>,
): Middleware<HttpEvent, HttpResult, HttpContext> {
  return {
    before: ({ event, context }) => {
      const requestId = event.requestContext.requestId;
      const caller = callerFromClaims(event.requestContext.authorizer?.jwt?.claims);
      if (!caller) throw new DomainError('INVALID_TOKEN', 'The bearer token carries no subject');
      if (options.scope && !hasScope(caller, options.scope)) {
        throw new DomainError('INSUFFICIENT_PERMISSIONS', `This request needs the ${options.scope} scope`, {
          details: { required_scope: options.scope },
        });
      }
      // The id is checked first and alone: a bad id is INVALID_ID_FORMAT before anything else runs.
      const path = parsePart('path', options.path, event.pathParameters ?? {}, options.invalidIdMessage);
      const query = parsePart('query', options.query, event.queryStringParameters ?? {});
      refuseLargeBody(event);
      const body = parsePart('body', options.body, options.body ? readJsonBody(event) : undefined);
      context.request = { caller, requestId, path, query, body, headers: event.headers ?? {} };
      return undefined;
    },
  };
}

function parsePart<T>(
  part: 'path' | 'query' | 'body',
  schema: z.Schema<T> | undefined,
  value: unknown,
  invalidIdMessage?: string,
): T {
  if (!schema) return value as T;
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    field: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  if (part === 'path' && issues.some((issue) => issue.field === 'path.id')) {
    throw new DomainError(
      'INVALID_ID_FORMAT',
      invalidIdMessage ?? 'Container id must be 24 lowercase hexadecimal characters',
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
          error: { name: request.error?.name, message: request.error?.message, stack: request.error?.stack },
        });
      }
      request.response = errorResponse(request.error, requestId);
    },
  };
}
