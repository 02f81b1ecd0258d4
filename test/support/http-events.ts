import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../../lib/http/http-handler';

export interface FakeEventInput {
  readonly routeKey?: string;
  readonly claims?: Record<string, string | number | boolean | string[]>;
  readonly pathParameters?: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/** An API Gateway HTTP API (payload 2.0) event as the JWT authorizer hands it to a function. */
export function httpEvent(input: FakeEventInput = {}): HttpEvent {
  const routeKey = input.routeKey ?? 'GET /v1/test';
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: input.headers ?? {},
    ...(input.queryStringParameters ? { queryStringParameters: input.queryStringParameters } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    ...(input.body === undefined ? {} : { body: input.body }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey,
      stage: '$default',
      time: '23/Nov/2026:10:00:00 +0000',
      timeEpoch: 0,
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: input.claims ?? { sub: 'alice', scope: 'containers:read containers:write' },
          scopes: [],
        },
      },
    },
  };
}

export const lambdaContext = {
  awsRequestId: 'lambda-req-1',
  functionName: 'test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test',
  memoryLimitInMB: '256',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;
