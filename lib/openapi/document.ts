/**
 * The OpenAPI 3.1 document of the HTTP API, built from lib/http/routes.ts (every route, nothing
 * else), the request schemas the handlers validate with, and the response schemas of
 * lib/http/response-schemas.ts, through lib/schema-json.ts: one source, so the document cannot
 * say what the code does not do. `npm run openapi` writes it to openapi.json, which
 * functions/http/get-openapi.ts serves; test/unit/lib/openapi/document.test.ts fails when the
 * checked-in file differs from a fresh build.
 */

import type { ErrorCode } from '../domain/errors';
import { scopes } from '../http/caller';
import { errorTable } from '../http/error-table';
import * as responses from '../http/response-schemas';
import { type HttpRoute, httpRoutes } from '../http/routes';
import type { AnySchema } from '../schema';
import { isOptionalKey, type JsonSchema, toJsonSchema } from '../schema-json';
import { type OperationSpec, operationSpecs, type SuccessHeader } from './operations';

export type OpenApiDocument = JsonSchema & { readonly paths: Record<string, Record<string, JsonSchema>> };

/** Named in `components.schemas` and referred to wherever an answer holds them. */
const components = new Map<AnySchema, string>([
  [responses.containerResponse, 'Container'],
  [responses.statusLogResponse, 'StatusLog'],
  [responses.statusSummaryResponse, 'StatusSummary'],
  [responses.operationResponse, 'Operation'],
  [responses.idleResponse, 'IdleView'],
  [responses.scheduleResponse, 'Schedule'],
  [responses.schedulePreviewResponse, 'SchedulePreview'],
  [responses.webhookResponse, 'Webhook'],
  [responses.deliveryResponse, 'Delivery'],
  [responses.errorResponse(), 'Error'],
  [responses.gatewayMessageResponse, 'GatewayMessage'],
]);
const refs = new Map([...components].map(([schema, name]) => [schema, `#/components/schemas/${name}`]));
const gatewayMessage = { $ref: '#/components/schemas/GatewayMessage' };

const tags = [
  { name: 'containers', description: 'Create, read, list and delete containers; their history.' },
  { name: 'operations', description: 'Lifecycle operations, one container or many, and following them.' },
  { name: 'idle', description: 'The auto-stop policy: activity, snooze, idle timeout, maximum lifetime.' },
  { name: 'schedules', description: 'Weekly schedules that start and stop a container or a project.' },
  { name: 'webhooks', description: 'Webhooks that receive our events, and their deliveries.' },
  { name: 'meta', description: 'Health and this document.' },
];

const successHeaders: Record<SuccessHeader, JsonSchema> = {
  etag: {
    description: 'The container\'s version, quoted (`"7"`): send it back in `If-Match`.',
    schema: { type: 'string' },
  },
  location: { description: 'The operation to follow: `/v1/operations/{id}`.', schema: { type: 'string' } },
  'retry-after': {
    description: 'Seconds: a long poll ran out of time, or ECS had no capacity for the start.',
    schema: { type: 'string' },
  },
  'idempotent-replayed': {
    description: '`true` when this is the first answer to the same `Idempotency-Key`, replayed.',
    schema: { type: 'string' },
  },
};

const descriptions: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
  400: 'The request is malformed',
  401: 'No, a bad or an expired bearer token',
  403: 'Refused',
  404: 'Not found for this caller',
  409: 'Not allowed in the current status',
  412: 'If-Match names a version the container has moved on from',
  413: 'The body is larger than the gateway accepts',
  422: 'The Idempotency-Key was used with another request',
  429: 'Throttled; `Retry-After` says when to try again',
  500: 'A bug; nothing internal is echoed',
  502: 'DynamoDB, ECS or another AWS service failed, past retries',
  503: 'No capacity; `Retry-After` says when to try again',
};

export function buildOpenApiDocument(routes: readonly HttpRoute[] = httpRoutes): OpenApiDocument {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const [method = '', path = ''] = route.routeKey.split(' ');
    const spec: OperationSpec = operationSpecs[route.functionName as keyof typeof operationSpecs];
    if (!spec) throw new Error(`${route.functionName} has no entry in lib/openapi/operations.ts`);
    paths[path] ??= {};
    (paths[path] as Record<string, JsonSchema>)[method.toLowerCase()] = operation(route, spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Container lifecycle API',
      version: '1.0.0',
      description:
        'Create, start, stop, restart, pause, resume and delete containers (ECS Fargate tasks). Every ' +
        'request carries `Authorization: Bearer <JWT>`; `containers:read` for GET, `containers:write` ' +
        'for the rest, `containers:admin` for every route and every owner. Success is `{"data": ...}`, ' +
        'failure `{"error": {"code", "message", "request_id", "details"}}`.',
    },
    tags,
    paths,
    components: {
      schemas: Object.fromEntries(
        [...components].map(([schema, name]) => [name, toJsonSchema(schema, { io: 'output', refs })]),
      ),
      responses: sharedResponseComponents(),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT access token from the configured issuer (locally: `npm run token`). The scopes ' +
            'an operation lists are alternatives: one of them is enough.',
        },
      },
    },
  };
}

function operation(route: HttpRoute, spec: OperationSpec): JsonSchema {
  const scope = route.scope;
  const query = spec.query ? objectShape(spec.query) : {};
  const requestBody = spec.body && {
    required: true,
    content: { 'application/json': { schema: toJsonSchema(spec.body, { io: 'input' }) } },
  };
  return {
    operationId: route.functionName,
    summary: spec.summary,
    description: [spec.description, scope ? `Scope: \`${scope}\` (or \`${scopes.admin}\`).` : undefined]
      .filter(Boolean)
      .join('\n\n'),
    tags: [spec.tag],
    security: scope ? [{ bearerAuth: [scope] }, { bearerAuth: [scopes.admin] }] : [{ bearerAuth: [] }],
    parameters: [
      ...parameters('path', spec.path),
      ...parameters('query', spec.query),
      ...(spec.idempotent ? [idempotencyKeyHeader] : []),
      ...(spec.ifMatch ? [ifMatchHeader] : []),
    ],
    ...(requestBody ? { requestBody } : {}),
    responses: {
      ...successResponses(spec),
      ...errorResponses(route, spec, { hasCursor: 'cursor' in query }),
    },
  };
}

const idempotencyKeyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'The same key with the same request within 24 h returns the first answer.',
  schema: { type: 'string', maxLength: 255 },
};

const ifMatchHeader = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'Only if the container is still at this version: its ETag (`"7"`), or `*`.',
  schema: { type: 'string' },
};

function objectShape(schema: AnySchema): Readonly<Record<string, AnySchema>> {
  const def = schema.def.type === 'pipe' ? schema.def.in.def : schema.def;
  if (def.type !== 'object') throw new Error(`a path or query schema must be an object, not ${def.type}`);
  return def.shape;
}

function parameters(location: 'path' | 'query', schema: AnySchema | undefined): JsonSchema[] {
  if (!schema) return [];
  return Object.entries(objectShape(schema)).map(([name, field]) => ({
    name,
    in: location,
    required: location === 'path' || !isOptionalKey(field, 'input'),
    schema: toJsonSchema(field, { io: 'input' }),
  }));
}

function successResponses(spec: OperationSpec): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(spec.responses).map(([status, schema]) => [
      status,
      {
        description: descriptions[Number(status)] ?? 'Success',
        ...(spec.headers?.length
          ? { headers: Object.fromEntries(spec.headers.map((name) => [name, successHeaders[name]])) }
          : {}),
        ...(schema ? { content: json(toJsonSchema(schema, { io: 'output', refs })) } : {}),
      },
    ]),
  );
}

/** Answers every route shares, written once in `components.responses`. */
const sharedResponses: Record<number, { readonly name: string; readonly codes: readonly ErrorCode[] }> = {
  401: { name: 'Unauthorized', codes: ['MISSING_TOKEN', 'INVALID_TOKEN', 'TOKEN_EXPIRED'] },
  413: { name: 'PayloadTooLarge', codes: [] },
  429: { name: 'RateLimited', codes: ['RATE_LIMITED'] },
  500: { name: 'InternalError', codes: ['INTERNAL_SERVER_ERROR'] },
};

/** Statuses API Gateway may answer itself with `{"message": ...}`, before or instead of a function. */
function gatewayStatuses(route: HttpRoute, spec: OperationSpec): Set<number> {
  // 403: a token without the route's scope; 503: an integration that timed out.
  return new Set([401, 429, 500, 503, ...(route.scope ? [403] : []), ...(spec.body ? [413] : [])]);
}

/** The contract's error body, with only `codes` allowed; `{"message"}` too where the gateway may answer. */
function errorSchema(codes: readonly ErrorCode[], fromGatewayToo: boolean): JsonSchema {
  const contract =
    codes.length === 0
      ? undefined
      : {
          allOf: [{ $ref: '#/components/schemas/Error' }],
          type: 'object',
          properties: {
            error: { type: 'object', properties: { code: { type: 'string', enum: [...codes] } } },
          },
        };
  if (!contract) return gatewayMessage;
  return fromGatewayToo ? { anyOf: [contract, gatewayMessage] } : contract;
}

function sharedResponseComponents(): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(sharedResponses).map(([status, { name, codes }]) => [
      name,
      { description: describe(Number(status), codes), content: json(errorSchema(codes, true)) },
    ]),
  );
}

function describe(status: number, codes: readonly ErrorCode[]): string {
  const text = descriptions[status] ?? 'Error';
  return codes.length > 0 ? `${text}. Error codes: ${codes.join(', ')}` : text;
}

/**
 * The errors of the route, by status: its use case's, and those every route shares. A status the
 * gateway may answer itself also takes API Gateway's `{"message": ...}`.
 */
function errorResponses(
  route: HttpRoute,
  spec: OperationSpec,
  facts: { readonly hasCursor: boolean },
): Record<string, JsonSchema> {
  const codes = new Set<ErrorCode>(['VALIDATION_ERROR']);
  if (spec.path && 'id' in objectShape(spec.path)) codes.add('INVALID_ID_FORMAT');
  if (facts.hasCursor) codes.add('INVALID_CURSOR');
  if (route.scope) codes.add('INSUFFICIENT_PERMISSIONS');
  if (spec.idempotent) codes.add('IDEMPOTENCY_KEY_REUSED');
  if (spec.ifMatch) codes.add('PRECONDITION_FAILED');
  for (const code of spec.errors ?? []) codes.add(code);
  // Every route but health and this document reads or writes the table: DynamoDB throttled past
  // the SDK's retries, or down, answers 502 (lib/adapters/dynamodb/dynamodb-errors.ts).
  if (spec.tag !== 'meta') codes.add('EXTERNAL_SERVICE_ERROR');

  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const { status } = errorTable[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const fromGateway = gatewayStatuses(route, spec);
  const statuses = [...new Set([...byStatus.keys(), ...fromGateway])].sort((a, b) => a - b);
  return Object.fromEntries(
    statuses.map((status) => {
      const shared = sharedResponses[status];
      if (shared) return [String(status), { $ref: `#/components/responses/${shared.name}` }];
      const statusCodes = byStatus.get(status) ?? [];
      return [
        String(status),
        {
          description: describe(status, statusCodes),
          content: json(errorSchema(statusCodes, fromGateway.has(status))),
        },
      ];
    }),
  );
}

function json(schema: JsonSchema): JsonSchema {
  return { 'application/json': { schema } };
}
