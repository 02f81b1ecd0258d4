/**
 * Authentication and authorization end to end: every JWT failure stops a real route at the
 * gateway, scopes hold on every endpoint (at the gateway and again in the function, for a
 * misconfigured authorizer), and admin cursors stay bound to the owner they listed.
 */
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpHandler, type LocalGateway, startLocalGateway } from '../../local/gateway';
import { loadHttpRoutes } from '../../local/http-routes';
import {
  generateLocalJwtKeys,
  LOCAL_JWT_AUDIENCE,
  LOCAL_JWT_ISSUER,
  type LocalJwtKeys,
} from '../../local/jwt-keys';
import { type MintTokenOptions, mintToken } from '../../local/tokens';
import { httpEvent, lambdaContext } from '../support/http-events';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';
const read = 'containers:read';
const write = 'containers:write';
const admin = 'containers:admin';
/** A function's handler, loaded after the stack set the environment, as a cold start would. */
const handlerOf = async (name: string) =>
  ((await import(`../../functions/http/${name}.ts`)) as { handler: HttpHandler }).handler;
const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

describe('authentication and authorization, end to end', () => {
  let stack: LocalStack;
  let aliceId: string;
  let aliceCount: number;

  beforeAll(async () => {
    stack = await startLocalStack({ quota: 20 });
    for (const name of ['one', 'two', 'three']) {
      const created = await stack.api('POST', '/v1/containers', {
        as: 'alice',
        body: { name, image, start: false },
      });
      expect(created.status).toBe(201);
      aliceId = created.body.data.id;
    }
    await stack.api('POST', '/v1/containers', { as: 'bob', body: { name: 'bobs', image, start: false } });
    aliceCount = 3;
  });
  afterAll(async () => {
    await stack.close();
  });

  describe('every token the JWT authorizer must refuse is refused on real routes', () => {
    // A gateway of its own in front of the same handlers and table, with keys this test holds,
    // so that a token can be signed right and be wrong in exactly one way.
    let gateway: LocalGateway;
    let keys: LocalJwtKeys;
    let otherKeys: LocalJwtKeys;

    beforeAll(async () => {
      [keys, otherKeys] = await Promise.all([generateLocalJwtKeys(), generateLocalJwtKeys()]);
      gateway = await startLocalGateway({
        routes: await loadHttpRoutes(),
        keys,
        issuer: LOCAL_JWT_ISSUER,
        audience: LOCAL_JWT_AUDIENCE,
        logger: { info: () => undefined, error: () => undefined },
      });
    });
    afterAll(async () => {
      await gateway.close();
    });

    const claims = () => ({
      sub: 'alice',
      scope: `${read} ${write}`,
      iss: LOCAL_JWT_ISSUER,
      aud: LOCAL_JWT_AUDIENCE,
      exp: inSeconds(600),
    });
    const mint = (options: Partial<MintTokenOptions> = {}) =>
      mintToken({
        keys,
        sub: 'alice',
        issuer: LOCAL_JWT_ISSUER,
        audience: LOCAL_JWT_AUDIENCE,
        ...options,
      });
    const signed = (payload: Record<string, unknown>, header: { alg: string; kid?: string }, key = keys) =>
      new SignJWT(payload).setProtectedHeader(header).sign(key.privateKey);

    const tokens: ReadonlyArray<readonly [string, string, () => Promise<string>]> = [
      ['alg none', 'INVALID_TOKEN', async () => new UnsecuredJWT(claims()).encode()],
      [
        'an HS256 token',
        'INVALID_TOKEN',
        () =>
          new SignJWT(claims())
            .setProtectedHeader({ alg: 'HS256', kid: keys.kid })
            .sign(new TextEncoder().encode('x'.repeat(64))),
      ],
      ['a token signed by another key', 'INVALID_TOKEN', () => mint({ keys: otherKeys })],
      [
        'a token signed by another key under the gateway key id',
        'INVALID_TOKEN',
        () => signed(claims(), { alg: 'RS256', kid: keys.kid }, otherKeys),
      ],
      ['a wrong issuer', 'INVALID_TOKEN', () => mint({ issuer: 'https://evil.example' })],
      ['a wrong audience', 'INVALID_TOKEN', () => mint({ audience: 'another-api' })],
      ['an expired token', 'TOKEN_EXPIRED', () => mint({ ttlSeconds: -60 })],
      ['a token not valid yet', 'INVALID_TOKEN', () => mint({ notBefore: inSeconds(300) })],
      [
        'a token without sub',
        'INVALID_TOKEN',
        () => signed({ ...claims(), sub: undefined }, { alg: 'RS256', kid: keys.kid }),
      ],
      ['a token with an empty sub', 'INVALID_TOKEN', () => mint({ sub: '' })],
      [
        'a token without exp',
        'INVALID_TOKEN',
        () => signed({ ...claims(), exp: undefined }, { alg: 'RS256', kid: keys.kid }),
      ],
      [
        'a token whose payload was edited to another sub',
        'INVALID_TOKEN',
        async () => {
          const [header, payload, signature] = (await mint()).split('.');
          const edited = { ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), sub: 'bob' };
          return `${header}.${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${signature}`;
        },
      ],
    ];

    async function call(method: string, path: string, token: string, body?: unknown) {
      const response = await fetch(`${gateway.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, text: await response.text() };
    }

    it('accepts a well-formed token at this gateway, so each refusal below is for its one defect', async () => {
      // Act
      const listed = await call('GET', '/v1/containers', await mint());

      // Assess
      expect(listed.status).toBe(200);
      expect(JSON.parse(listed.text).pagination.total).toBe(aliceCount);
    });

    it.each(tokens)(
      'refuses %s with 401 %s on writes and reads, and stores nothing',
      async (_, code, make) => {
        // Prepare
        const token = await make();

        // Act
        const answers = [
          await call('POST', '/v1/containers', token, { name: 'intruder', image, start: false }),
          await call('POST', `/v1/containers/${aliceId}/start`, token),
          await call('DELETE', `/v1/containers/${aliceId}`, token),
          await call('GET', '/v1/containers', token),
          await call('GET', `/v1/containers/${aliceId}/status-logs`, token),
        ];
        const after = await stack.api('GET', '/v1/containers', { as: 'alice' });

        // Assess
        for (const answer of answers) {
          expect(answer.status).toBe(401);
          expect(JSON.parse(answer.text).error.code).toBe(code);
          expect(answer.text).not.toContain(token);
        }
        expect(after.body.pagination.total).toBe(aliceCount);
        expect(after.body.data.containers.every((c: { status: string }) => c.status === 'stopped')).toBe(
          true,
        );
      },
    );
  });

  describe('scopes, on every endpoint', () => {
    const routes = (id: string) =>
      [
        ['POST', '/v1/containers', write, { name: 'scoped', image, start: false }],
        ['GET', '/v1/containers', read],
        ['GET', `/v1/containers/${id}`, read],
        ['GET', `/v1/containers/${id}/status`, read],
        ['GET', `/v1/containers/${id}/status-logs`, read],
        ['POST', `/v1/containers/${id}/activity`, write],
        ['POST', `/v1/containers/${id}/force-stop`, write],
        ['DELETE', `/v1/containers/${id}`, write],
      ] as const;

    it.each([
      [read, write],
      [write, read],
      ['', read],
      ['', write],
      ['containers:readwrite containers:*', read],
      ['containers:admins', write],
    ])(
      'refuses a token with scope "%s" on every %s endpoint with 403, changing nothing',
      async (granted, needed) => {
        // Prepare: an id that exists, so only the scope can stop the request.
        const table = routes(aliceId).filter(([, , scope]) => scope === needed);

        // Act
        const answers = await Promise.all(
          table.map(([method, path, , body]) =>
            stack.api(method, path, { as: 'alice', scope: granted, ...(body ? { body } : {}) }),
          ),
        );
        const status = await stack.api('GET', `/v1/containers/${aliceId}/status`, { as: 'alice' });

        // Assess
        expect(answers.map((answer) => answer.status)).toEqual(table.map(() => 403));
        expect(status.body.data).toMatchObject({ status: 'stopped', version: 2 });
      },
    );

    it('lets an admin token (containers:admin alone) through every endpoint', async () => {
      // Prepare
      const created = await stack.api('POST', '/v1/containers', {
        as: 'carol',
        body: { name: 'for-admin', image, start: false },
      });
      const id: string = created.body.data.id;

      // Act
      const answers: number[] = [];
      for (const [method, path, , body] of routes(id)) {
        const response = await stack.api(method, path, {
          as: 'root',
          scope: admin,
          ...(body ? { body } : {}),
        });
        answers.push(response.status);
        if (method === 'POST' && path === '/v1/containers') {
          await stack.api('DELETE', `/v1/containers/${response.body.data.id}`, { as: 'root', scope: admin });
        }
      }

      // Assess: force-stop of a stopped container is a 409, which only a permitted caller reaches.
      expect(answers).toEqual([201, 200, 200, 200, 200, 204, 409, 202]);
    });

    it.each([
      ['create with a read-only scope', 'create-container', 'POST /v1/containers', read, undefined],
      [
        'an operation with a read-only scope',
        'operate-container',
        'POST /v1/containers/{id}/{operation}',
        read,
        'op',
      ],
      ['a read with a write-only scope', 'get-container', 'GET /v1/containers/{id}', write, 'id'],
      ['a list with no scope at all', 'list-containers', 'GET /v1/containers', '', undefined],
    ] as const)(
      'refuses %s in the function itself, with 403 INSUFFICIENT_PERMISSIONS, should the authorizer let it by',
      async (_, name, routeKey, scope, path) => {
        // Prepare
        const handler = await handlerOf(name);
        const event = httpEvent({
          routeKey,
          claims: { sub: 'alice', scope },
          ...(path === 'id' ? { pathParameters: { id: aliceId } } : {}),
          ...(path === 'op' ? { pathParameters: { id: aliceId, operation: 'start' } } : {}),
          ...(routeKey.startsWith('POST /v1/containers') && !path
            ? { body: JSON.stringify({ name: 'sneaky', image, start: false }) }
            : {}),
        });

        // Act
        const result = await handler(event, lambdaContext);

        // Assess
        const response = result as { statusCode: number; body: string };
        expect(response.statusCode).toBe(403);
        expect(JSON.parse(response.body).error.code).toBe('INSUFFICIENT_PERMISSIONS');
      },
    );

    it('refuses claims without a subject in the function itself with 401 INVALID_TOKEN', async () => {
      // Prepare: the AWS JWT authorizer does not require sub; the function must.
      const event = httpEvent({
        routeKey: 'POST /v1/containers',
        claims: { scope: `${read} ${write}` },
        body: JSON.stringify({ name: 'nobody', image, start: false }),
      });

      const handler = await handlerOf('create-container');

      // Act
      const result = (await handler(event, lambdaContext)) as { statusCode: number; body: string };

      // Assess
      expect(result.statusCode).toBe(401);
      expect(JSON.parse(result.body).error.code).toBe('INVALID_TOKEN');
    });
  });

  describe('owner isolation of admin cursors', () => {
    it('binds an admin owner_id cursor to that owner and that admin', async () => {
      // Prepare
      const asAdmin = { as: 'root', scope: `${read} ${admin}` };
      const first = await stack.api('GET', '/v1/containers?owner_id=alice&per_page=1', asAdmin);
      const cursor: string = first.body.pagination.cursor;

      // Act
      const next = await stack.api(
        'GET',
        `/v1/containers?owner_id=alice&per_page=1&cursor=${cursor}`,
        asAdmin,
      );
      const otherOwner = await stack.api(
        'GET',
        `/v1/containers?owner_id=bob&per_page=1&cursor=${cursor}`,
        asAdmin,
      );
      const ownList = await stack.api('GET', `/v1/containers?per_page=1&cursor=${cursor}`, asAdmin);
      const otherAdmin = await stack.api('GET', `/v1/containers?owner_id=alice&per_page=1&cursor=${cursor}`, {
        as: 'root2',
        scope: admin,
      });
      const plainCaller = await stack.api(
        'GET',
        `/v1/containers?owner_id=alice&per_page=1&cursor=${cursor}`,
        {
          as: 'bob',
        },
      );

      // Assess
      expect(first.body.data.containers[0].owner_id).toBe('alice');
      expect(next.status).toBe(200);
      expect(next.body.data.containers.map((c: { owner_id: string }) => c.owner_id)).toEqual(['alice']);
      for (const refused of [otherOwner, ownList, otherAdmin, plainCaller]) {
        expect(refused.status).toBe(400);
        expect(refused.body.error.code).toBe('INVALID_CURSOR');
      }
    });

    it("refuses a status-log cursor on another container, and hides alice's logs from bob even with her cursor", async () => {
      // Prepare
      const ids = (await stack.api('GET', '/v1/containers', { as: 'alice' })).body.data.containers.map(
        (c: { id: string }) => c.id,
      );
      const logs = await stack.api('GET', `/v1/containers/${ids[0]}/status-logs?limit=1`, { as: 'alice' });
      const cursor: string = logs.body.pagination.cursor;

      // Act
      const otherContainer = await stack.api(
        'GET',
        `/v1/containers/${ids[1]}/status-logs?limit=1&cursor=${cursor}`,
        {
          as: 'alice',
        },
      );
      const bob = await stack.api('GET', `/v1/containers/${ids[0]}/status-logs?limit=1&cursor=${cursor}`, {
        as: 'bob',
      });

      // Assess
      expect(cursor).toEqual(expect.any(String));
      expect(otherContainer.body.error.code).toBe('INVALID_CURSOR');
      expect([404, 400]).toContain(bob.status);
      expect(bob.body.data).toBeUndefined();
    });
  });
});
