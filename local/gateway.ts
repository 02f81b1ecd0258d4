import { randomBytes, randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  validateHeaderName,
  validateHeaderValue,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import * as z from 'zod';
import { type LocalJwtPublicKey, loadOrCreateLocalJwtKeys } from './jwt-keys';
import {
  createTokenVerifier,
  TOKEN_ERROR_CODE,
  type TokenErrorCode,
  TokenVerificationError,
  type TokenVerifier,
  type VerifiedToken,
} from './tokens';

/** The event a route handler receives: HTTP API payload format 2.0 behind a JWT authorizer. */
export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

/** A Lambda handler behind the gateway, invoked as Lambda would (a Middy-wrapped handler fits). */
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<APIGatewayProxyResultV2>;

/** One route of the HTTP API. */
export interface GatewayRoute {
  /**
   * `METHOD /path` as in API Gateway: METHOD is GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY;
   * segments are literals, `{name}` or a final greedy `{name+}`. `$default` catches what nothing else does.
   */
  readonly routeKey: string;
  readonly handler: HttpHandler;
  /** Lambda function name shown in the context; default derived from the route key. */
  readonly functionName?: string;
  /**
   * As the route's `AuthorizationScopes`: the token needs at least one of them, else 403, and the event's
   * `scopes` lists the token's scopes. Without it `scopes` is null, as AWS sends it.
   */
  readonly authorizationScopes?: readonly string[];
}

/** Structured log sink; fields never include the bearer token. */
export interface GatewayLogger {
  info(message: string, fields: Readonly<Record<string, unknown>>): void;
  error(message: string, fields: Readonly<Record<string, unknown>>): void;
}

/** Options of {@link startLocalGateway}. */
export interface LocalGatewayOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  readonly routes: readonly GatewayRoute[];
  /** Token checks to apply; default: {@link createTokenVerifier} with `keys`, `issuer`, `audience`. */
  readonly verifier?: TokenVerifier;
  /** Public key to verify with; default: the shared local key file. Ignored when `verifier` is given. */
  readonly keys?: LocalJwtPublicKey;
  readonly issuer?: string;
  readonly audience?: string;
  /** Leeway for `exp`/`nbf`/`iat` in seconds; default 0. */
  readonly clockToleranceSeconds?: number;
  /** Default: JSON lines on stdout/stderr. */
  readonly logger?: GatewayLogger;
  /** Request body limit; default 10 MB, API Gateway's payload quota. */
  readonly maxBodyBytes?: number;
  /** Integration timeout, after which the caller gets 503; default 30 s, API Gateway's maximum. */
  readonly timeoutMs?: number;
  /**
   * Stage throttling as infra/ sets it (a token bucket: `rateLimit` requests a second, bursts of
   * `burstLimit`). A throttled request gets 429 RATE_LIMITED with Retry-After.
   * @default no throttling
   */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Pages served before routing and without a token (the local /docs): true when it answered.
   * Nothing of the kind exists in API Gateway. @default none
   */
  readonly pages?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** A running gateway. */
export interface LocalGateway {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** A route key that API Gateway would refuse, or a duplicate. */
export class RouteKeyError extends Error {
  override readonly name = 'RouteKeyError';
}

/** Defaults that mirror API Gateway HTTP API quotas. */
export const GATEWAY_DEFAULTS = {
  maxBodyBytes: 10 * 1024 * 1024,
  timeoutMs: 30_000,
  accountId: '000000000000',
  apiId: 'local',
  region: 'us-east-1',
} as const;

const DEFAULT_ROUTE_KEY = '$default';
const ROUTE_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY']);
const SEGMENT_RANK = { literal: 2, param: 1, greedy: 0 } as const;
const HOP_BY_HOP_HEADERS = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade'];
const DROPPED_REQUEST_HEADERS = new Set([...HOP_BY_HOP_HEADERS, 'cookie']);
/** Node computes the length of what is actually sent. */
const DROPPED_RESPONSE_HEADERS = new Set([...HOP_BY_HOP_HEADERS, 'content-length']);
const BODILESS_STATUS_CODES = new Set([204, 304]);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

type RouteSegment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param' | 'greedy'; readonly name: string };

interface CompiledRoute {
  readonly route: GatewayRoute;
  readonly method: string;
  readonly segments: readonly RouteSegment[];
}

interface RouteMatch {
  readonly route: GatewayRoute;
  readonly pathParameters: Record<string, string>;
}

interface Router {
  match(method: string, rawPath: string): RouteMatch | undefined;
}

interface GatewayResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies?: readonly string[];
  readonly body: Buffer;
  /** Asks Node to close the socket, for requests whose body was left unread. */
  readonly closeConnection?: boolean;
}

interface GatewayContext {
  readonly router: Router;
  readonly verifier: TokenVerifier;
  readonly logger: GatewayLogger;
  readonly maxBodyBytes: number;
  readonly timeoutMs: number;
  /** Takes one request's token; false when the stage's rate is spent. */
  readonly admit: () => boolean;
}

interface RequestInfo {
  readonly requestId: string;
  readonly receivedAt: Date;
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
}

/**
 * Starts an HTTP server on 127.0.0.1 that behaves like the deployed API Gateway HTTP API: it routes by
 * route key, verifies the bearer JWT as the JWT authorizer does, and invokes the route's handler with a
 * payload format 2.0 event. Unknown routes are 404, rejected tokens 401 with the contract's error body.
 *
 * @throws {RouteKeyError} when a route key is malformed or repeated.
 */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const router = createRouter(options.routes);
  const verifier = options.verifier ?? (await defaultVerifier(options));
  const context: GatewayContext = {
    router,
    verifier,
    logger: options.logger ?? consoleLogger,
    maxBodyBytes: options.maxBodyBytes ?? GATEWAY_DEFAULTS.maxBodyBytes,
    timeoutMs: options.timeoutMs ?? GATEWAY_DEFAULTS.timeoutMs,
    admit: options.throttle
      ? tokenBucket(options.throttle.rateLimit, options.throttle.burstLimit)
      : () => true,
  };
  const server = createServer((req, res) => {
    if (options.pages?.(req, res)) return;
    serveRequest(context, req, res).catch((error: unknown) => {
      context.logger.error('response failure', { error: describeError(error) });
      res.destroy();
    });
  });
  const port = await listen(server, options.port ?? 0);
  return { url: `http://127.0.0.1:${port}`, port, close: () => closeServer(server) };
}

async function defaultVerifier(options: LocalGatewayOptions): Promise<TokenVerifier> {
  return createTokenVerifier({
    keys: options.keys ?? (await loadOrCreateLocalJwtKeys()),
    issuer: options.issuer,
    audience: options.audience,
    clockToleranceSeconds: options.clockToleranceSeconds,
  });
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

const consoleLogger: GatewayLogger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};

function createRouter(routes: readonly GatewayRoute[]): Router {
  const compiled = routes.filter((route) => route.routeKey !== DEFAULT_ROUTE_KEY).map(compileRoute);
  const fallback = routes.find((route) => route.routeKey === DEFAULT_ROUTE_KEY);
  rejectDuplicates(routes);
  return {
    match(method, rawPath) {
      const best = bestMatch(compiled, method, splitPath(rawPath));
      return best ?? (fallback ? { route: fallback, pathParameters: {} } : undefined);
    },
  };
}

function compileRoute(route: GatewayRoute): CompiledRoute {
  const parsed = /^(\S+) (\/\S*)$/.exec(route.routeKey);
  const method = parsed?.[1];
  const path = parsed?.[2];
  if (method === undefined || path === undefined || !ROUTE_METHODS.has(method)) {
    throw new RouteKeyError(`Route key '${route.routeKey}' is not 'METHOD /path' or '$default'`);
  }
  const segments = path === '/' ? [] : path.slice(1).split('/').map(parseSegment(route.routeKey));
  if (segments.slice(0, -1).some((segment) => segment.kind === 'greedy')) {
    throw new RouteKeyError(`Route key '${route.routeKey}' has a greedy {name+} segment before the last one`);
  }
  return { route, method, segments };
}

function parseSegment(routeKey: string): (segment: string) => RouteSegment {
  return (segment) => {
    const variable = /^\{([\w.-]+)(\+?)\}$/.exec(segment);
    if (variable?.[1] !== undefined) {
      return { kind: variable[2] ? 'greedy' : 'param', name: variable[1] };
    }
    if (segment === '' || /[{}]/.test(segment)) {
      throw new RouteKeyError(`Route key '${routeKey}' has an invalid path segment '${segment}'`);
    }
    return { kind: 'literal', value: segment };
  };
}

function rejectDuplicates(routes: readonly GatewayRoute[]): void {
  const seen = new Set<string>();
  for (const { routeKey } of routes) {
    if (seen.has(routeKey)) {
      throw new RouteKeyError(`Route key '${routeKey}' is defined twice`);
    }
    seen.add(routeKey);
  }
}

function splitPath(rawPath: string): string[] {
  return rawPath === '/' ? [] : rawPath.slice(1).split('/');
}

function bestMatch(
  routes: readonly CompiledRoute[],
  method: string,
  pathSegments: string[],
): RouteMatch | undefined {
  let best: { compiled: CompiledRoute; pathParameters: Record<string, string> } | undefined;
  for (const compiled of routes) {
    if (compiled.method !== method && compiled.method !== 'ANY') {
      continue;
    }
    const pathParameters = matchSegments(compiled.segments, pathSegments);
    if (pathParameters && (!best || compareSpecificity(compiled, best.compiled) > 0)) {
      best = { compiled, pathParameters };
    }
  }
  return best && { route: best.compiled.route, pathParameters: best.pathParameters };
}

function matchSegments(
  segments: readonly RouteSegment[],
  pathSegments: readonly string[],
): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const value = pathSegments[index];
    if (value === undefined || value === '') {
      return undefined;
    }
    if (segment.kind === 'greedy') {
      parameters[segment.name] = pathSegments.slice(index).map(decodePathSegment).join('/');
      return parameters;
    }
    const decoded = decodePathSegment(value);
    if (segment.kind === 'literal' && decoded !== segment.value) {
      return undefined;
    }
    if (segment.kind === 'param') {
      parameters[segment.name] = decoded;
    }
  }
  return segments.length === pathSegments.length ? parameters : undefined;
}

/** Positive when `a` is more specific: literal beats `{param}` beats `{greedy+}`, then a method beats ANY. */
function compareSpecificity(a: CompiledRoute, b: CompiledRoute): number {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index += 1) {
    const difference = segmentRank(a.segments[index]) - segmentRank(b.segments[index]);
    if (difference !== 0) {
      return difference;
    }
  }
  return Number(a.method !== 'ANY') - Number(b.method !== 'ANY');
}

function segmentRank(segment: RouteSegment | undefined): number {
  return segment ? SEGMENT_RANK[segment.kind] : -1;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function serveRequest(
  context: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const info = describeRequest(req);
  res.on('finish', () => logAccess(context.logger, info, res.statusCode));
  let response: GatewayResponse;
  try {
    response = await processRequest(context, req, info);
  } catch (error) {
    context.logger.error('gateway failure', { requestId: info.requestId, error: describeError(error) });
    response = messageResponse(500, 'Internal Server Error');
  }
  writeResponse(res, info.requestId, response);
}

function describeRequest(req: IncomingMessage): RequestInfo {
  const target = req.url ?? '/';
  const queryStart = target.indexOf('?');
  return {
    requestId: randomBytes(11).toString('base64'),
    receivedAt: new Date(),
    method: req.method ?? 'GET',
    rawPath: queryStart === -1 ? target : target.slice(0, queryStart),
    rawQueryString: queryStart === -1 ? '' : target.slice(queryStart + 1),
  };
}

/** Routing comes first, so an unknown route is 404 even without a token, as in API Gateway. */
async function processRequest(
  context: GatewayContext,
  req: IncomingMessage,
  info: RequestInfo,
): Promise<GatewayResponse> {
  const match = context.router.match(info.method, info.rawPath);
  if (!match) {
    return messageResponse(404, 'Not Found');
  }
  if (!context.admit()) {
    // API Gateway answers `{"message":"Too Many Requests"}` here; locally the contract's body.
    return jsonResponse(
      429,
      { error: { code: 'RATE_LIMITED', message: 'Too many requests', request_id: info.requestId } },
      { 'retry-after': '1' },
    );
  }
  if (Number(req.headers['content-length'] ?? 0) > context.maxBodyBytes) {
    return { ...messageResponse(413, 'Request Entity Too Large'), closeConnection: true };
  }
  const authorization = await authorize(context.verifier, req.headers.authorization, info.requestId);
  if ('statusCode' in authorization) {
    return authorization;
  }
  if (!hasRequiredScope(match.route, authorization)) {
    return messageResponse(403, 'Forbidden');
  }
  const body = await readBody(req, context.maxBodyBytes);
  if (body === 'too-large') {
    return { ...messageResponse(413, 'Request Entity Too Large'), closeConnection: true };
  }
  const event = buildEvent({ req, info, match, token: authorization, body });
  return invoke(context, match.route, event, info.requestId);
}

function logAccess(logger: GatewayLogger, info: RequestInfo, statusCode: number): void {
  logger.info('request', {
    requestId: info.requestId,
    method: info.method,
    path: info.rawPath,
    status: statusCode,
    durationMs: Date.now() - info.receivedAt.getTime(),
  });
}

async function authorize(
  verifier: TokenVerifier,
  header: string | undefined,
  requestId: string,
): Promise<VerifiedToken | GatewayResponse> {
  const token = bearerToken(header);
  if (token === undefined) {
    return unauthorized(
      TOKEN_ERROR_CODE.missing,
      'An Authorization header with a Bearer token is required',
      requestId,
    );
  }
  try {
    return await verifier(token);
  } catch (error) {
    if (error instanceof TokenVerificationError) {
      return unauthorized(error.code, error.message, requestId);
    }
    throw error;
  }
}

/** Undefined unless the header is `Bearer <something>`; what follows the scheme is left to the verifier. */
function bearerToken(header: string | undefined): string | undefined {
  const credentials = /^Bearer\s+(.*)$/i.exec(header ?? '')?.[1]?.trim();
  return credentials || undefined;
}

function unauthorized(code: TokenErrorCode, message: string, requestId: string): GatewayResponse {
  const description = message.replace(/["\\]/g, "'");
  const challenge =
    code === TOKEN_ERROR_CODE.missing
      ? 'Bearer'
      : `Bearer error="invalid_token", error_description="${description}"`;
  return jsonResponse(
    401,
    { error: { code, message, request_id: requestId } },
    {
      'www-authenticate': challenge,
    },
  );
}

function hasRequiredScope(route: GatewayRoute, token: VerifiedToken): boolean {
  const required = route.authorizationScopes;
  return !required?.length || required.some((scope) => token.scopes.includes(scope));
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

interface EventInput {
  readonly req: IncomingMessage;
  readonly info: RequestInfo;
  readonly match: RouteMatch;
  readonly token: VerifiedToken;
  readonly body: Buffer;
}

function buildEvent({ req, info, match, token, body }: EventInput): HttpEvent {
  const port = req.socket.localPort ?? 0;
  const headers = eventHeaders(req, port);
  const domainName = (headers.host ?? `127.0.0.1:${port}`).replace(/:\d+$/, '');
  const cookies = parseCookies(req.headersDistinct.cookie);
  const queryStringParameters = parseQueryString(info.rawQueryString);
  const hasPathParameters = Object.keys(match.pathParameters).length > 0;
  return {
    version: '2.0',
    routeKey: match.route.routeKey,
    rawPath: info.rawPath,
    rawQueryString: info.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    ...(hasPathParameters ? { pathParameters: match.pathParameters } : {}),
    requestContext: {
      accountId: GATEWAY_DEFAULTS.accountId,
      apiId: GATEWAY_DEFAULTS.apiId,
      authorizer: {
        jwt: {
          claims: flattenClaims(token.claims),
          scopes: match.route.authorizationScopes?.length ? [...token.scopes] : null,
        },
      },
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: info.method,
        path: info.rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: sourceIp(req),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: info.requestId,
      routeKey: match.route.routeKey,
      stage: '$default',
      time: formatRequestTime(info.receivedAt),
      timeEpoch: info.receivedAt.getTime(),
    },
    ...encodeBody(body, headers['content-type']),
  };
}

/**
 * Lower-cased names, repeated headers joined with ',', as payload 2.0 does. The Cookie header moves to
 * `cookies`; API Gateway adds the x-forwarded-* and trace headers.
 */
function eventHeaders(req: IncomingMessage, port: number): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values && !DROPPED_REQUEST_HEADERS.has(name)) {
      headers[name] = values.join(',');
    }
  }
  const forwardedFor = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${sourceIp(req)}` : sourceIp(req);
  headers['x-forwarded-port'] = String(port);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??= traceId();
  return headers;
}

function parseCookies(cookieHeaders: readonly string[] | undefined): string[] {
  return (cookieHeaders ?? [])
    .flatMap((header) => header.split(';'))
    .map((cookie) => cookie.trim())
    .filter(Boolean);
}

function parseQueryString(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') {
    return undefined;
  }
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const previous = parameters[name];
    parameters[name] = previous === undefined ? value : `${previous},${value}`;
  }
  return parameters;
}

/**
 * Claims as the authorizer passes them: every value a string. Numbers and booleans are printed plainly;
 * lists become "[a b]" and objects "map[k:v]" (the Go formatting AWS shows); null becomes "".
 */
function flattenClaims(claims: JWTPayload): Record<string, string> {
  return Object.fromEntries(Object.entries(claims).map(([name, value]) => [name, formatClaim(value)]));
}

function formatClaim(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(formatClaim).join(' ')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `map[${entries.map(([key, item]) => `${key}:${formatClaim(item)}`).join(' ')}]`;
  }
  return value === null || value === undefined ? '' : String(value);
}

/** Text bodies pass as UTF-8; anything else, or no Content-Type, is base64 as API Gateway sends it. */
function encodeBody(
  body: Buffer,
  contentType: string | undefined,
): Pick<HttpEvent, 'body' | 'isBase64Encoded'> {
  if (body.length === 0) {
    return { isBase64Encoded: false };
  }
  return isTextContentType(contentType)
    ? { body: body.toString('utf8'), isBase64Encoded: false }
    : { body: body.toString('base64'), isBase64Encoded: true };
}

function isTextContentType(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    mediaType.startsWith('text/') ||
    ['application/json', 'application/xml', 'application/javascript'].includes(mediaType) ||
    mediaType.endsWith('+json') ||
    mediaType.endsWith('+xml')
  );
}

function sourceIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

function traceId(): string {
  const epochHex = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epochHex}-${randomBytes(12).toString('hex')}`;
}

/** The access-log time format of API Gateway: `12/Mar/2020:19:03:58 +0000`. */
function formatRequestTime(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const day = `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}`;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${day}:${time} +0000`;
}

class IntegrationTimeoutError extends Error {
  override readonly name = 'IntegrationTimeoutError';
}

async function invoke(
  context: GatewayContext,
  route: GatewayRoute,
  event: HttpEvent,
  requestId: string,
): Promise<GatewayResponse> {
  const deadline = Date.now() + context.timeoutMs;
  const lambdaContext = createLambdaContext(route, deadline);
  try {
    const result = await withTimeout(route.handler(event, lambdaContext), context.timeoutMs);
    return toGatewayResponse(result);
  } catch (error) {
    const timedOut = error instanceof IntegrationTimeoutError;
    context.logger.error(timedOut ? 'integration timed out' : 'integration failed', {
      requestId,
      awsRequestId: lambdaContext.awsRequestId,
      routeKey: route.routeKey,
      error: describeError(error),
    });
    return timedOut
      ? messageResponse(503, 'Service Unavailable')
      : messageResponse(500, 'Internal Server Error');
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new IntegrationTimeoutError(`No response within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function createLambdaContext(route: GatewayRoute, deadline: number): Context {
  const functionName = route.functionName ?? functionNameFor(route.routeKey);
  const region = process.env.AWS_REGION ?? GATEWAY_DEFAULTS.region;
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const ignore = (): void => undefined;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${GATEWAY_DEFAULTS.accountId}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${today}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: ignore,
    fail: ignore,
    succeed: ignore,
  };
}

function functionNameFor(routeKey: string): string {
  const slug = routeKey
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `local-${slug}`;
}

const structuredResultSchema = z.object({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
  cookies: z.array(z.string()).optional(),
});

/**
 * Payload 2.0 response mapping: a result with `statusCode` is a structured response (validated: AWS
 * answers 500 to a malformed one); anything else is the JSON body of a 200.
 */
function toGatewayResponse(result: unknown): GatewayResponse {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : (JSON.stringify(result) ?? '');
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) };
  }
  const structured = structuredResultSchema.parse(result);
  const body = Buffer.from(structured.body ?? '', structured.isBase64Encoded ? 'base64' : 'utf8');
  return {
    statusCode: structured.statusCode,
    headers: responseHeaders(structured.headers ?? {}, body),
    cookies: structured.cookies?.map((cookie) => {
      validateHeaderValue('set-cookie', cookie);
      return cookie;
    }),
    body,
  };
}

function responseHeaders(
  headers: Readonly<Record<string, string | number | boolean>>,
  body: Buffer,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    validateHeaderName(name);
    validateHeaderValue(name, String(value));
    if (!DROPPED_RESPONSE_HEADERS.has(name.toLowerCase())) {
      result[name.toLowerCase()] = String(value);
    }
  }
  if (body.length > 0 && result['content-type'] === undefined) {
    result['content-type'] = 'text/plain; charset=utf-8';
  }
  return result;
}

function messageResponse(statusCode: number, message: string): GatewayResponse {
  return jsonResponse(statusCode, { message });
}

/** A token bucket that refills at `rate` a second up to `burst`, as API Gateway throttles a stage. */
function tokenBucket(rate: number, burst: number, now: () => number = Date.now): () => boolean {
  let tokens = burst;
  let last = now();
  return () => {
    const current = now();
    tokens = Math.min(burst, tokens + ((current - last) / 1000) * rate);
    last = current;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

function jsonResponse(
  statusCode: number,
  payload: unknown,
  headers: Readonly<Record<string, string>> = {},
): GatewayResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify(payload)),
  };
}

function writeResponse(res: ServerResponse, requestId: string, response: GatewayResponse): void {
  res.statusCode = response.statusCode;
  for (const [name, value] of Object.entries(response.headers)) {
    res.setHeader(name, value);
  }
  if (response.cookies?.length) {
    res.setHeader('set-cookie', [...response.cookies]);
  }
  res.setHeader('apigw-requestid', requestId);
  if (response.closeConnection) {
    res.setHeader('connection', 'close');
  }
  if (BODILESS_STATUS_CODES.has(response.statusCode)) {
    res.end();
    return;
  }
  res.setHeader('content-length', response.body.length);
  res.end(response.body);
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
