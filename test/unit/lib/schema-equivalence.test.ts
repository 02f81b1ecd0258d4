/**
 * lib/schema.ts promises zod's behaviour with zod's API. This suite holds it to that: the
 * project's own boundary schemas are loaded twice, once on lib/schema and once with lib/schema
 * replaced by zod/mini itself (English messages), and both parse the same generated inputs, hostile
 * ones included. Accepted or refused, the value parsed and every issue (path and message) must match.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as config from '../../../lib/config';
import * as caller from '../../../lib/http/caller';
import * as longPoll from '../../../lib/http/long-poll';
import * as schemas from '../../../lib/http/schemas';
import type { Issue } from '../../../lib/schema';

type Modules = {
  schemas: typeof schemas;
  longPoll: typeof longPoll;
  config: typeof config;
  caller: typeof caller;
};

let zodBuilt: Modules;

beforeAll(async () => {
  vi.resetModules();
  vi.doMock('../../../lib/schema', async () => {
    const zod = await import('zod/mini');
    const { default: en } = await import('zod/v4/locales/en.js');
    zod.config(en());
    return zod;
  });
  zodBuilt = {
    schemas: await import('../../../lib/http/schemas'),
    longPoll: await import('../../../lib/http/long-poll'),
    config: await import('../../../lib/config'),
    caller: await import('../../../lib/http/caller'),
  };
  vi.doUnmock('../../../lib/schema');
});

interface Parsable {
  safeParse(input: unknown): { success: boolean; data?: unknown; error?: { issues: readonly Issue[] } };
}

function outcome(schema: Parsable, input: unknown) {
  const result = schema.safeParse(structuredClone(input));
  if (result.success) return { accepted: result.data };
  return {
    refused: (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`).sort(),
  };
}

function expectSameOutcomes(ours: Parsable, zods: Parsable, inputs: fc.Arbitrary<unknown>) {
  fc.assert(
    fc.property(inputs, (input) => {
      expect(outcome(ours, input)).toEqual(outcome(zods, input));
    }),
    { numRuns: 400 },
  );
}

/** Mostly plausible values, sometimes anything at all. */
const near = <T>(...plausible: fc.Arbitrary<T>[]) =>
  fc.oneof({ arbitrary: fc.oneof(...plausible), weight: 4 }, { arbitrary: fc.anything(), weight: 1 });

const slugs = fc.oneof(
  fc.constantFrom('web', 'a', 'my-box-1', '-bad', 'Bad', 'x'.repeat(64), ''),
  fc.string(),
);
const seconds = fc.oneof(
  fc.integer({ min: -10, max: 700_000 }),
  fc.constantFrom(
    59,
    60,
    86_400,
    86_401,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ),
);
const queryValues = fc.oneof(
  fc.constantFrom(
    '1',
    '0',
    '100',
    '101',
    '20',
    '-1',
    '2.5',
    'abc',
    '',
    ' 7 ',
    'asc',
    'desc',
    'up',
    'running',
  ),
  fc.string({ maxLength: 8 }),
);

function sometimesExtraKeys(record: fc.Arbitrary<Record<string, unknown>>) {
  return fc
    .tuple(
      record,
      fc.option(fc.dictionary(fc.constantFrom('extra', 'Name', 'toString', '__proto__'), fc.anything())),
    )
    .map(([body, extra]) => ({ ...(extra ?? {}), ...body }));
}

describe('lib/schema parses as zod does', () => {
  it('create-container bodies: defaults, Fargate sizes, environment names and every refusal', () => {
    const environment = fc.dictionary(
      fc.oneof(
        fc.constantFrom('PORT', 'A_B', '_x', '1BAD', 'has-dash', 'constructor', ''),
        fc.string({ maxLength: 6 }),
      ),
      near(fc.string({ maxLength: 10 })),
      { maxKeys: 4 },
    );
    const body = sometimesExtraKeys(
      fc.record(
        {
          name: near(slugs),
          image: near(fc.constantFrom('nginx:1.27', 'public.ecr.aws/x/y:1', 'bad image', ''), fc.string()),
          project_id: near(slugs),
          cpu_units: near(fc.constantFrom(256, 512, 1024, 2048, 4096, 300, '256')),
          memory_mb: near(fc.constantFrom(512, 1024, 2048, 3072, 8192, 30720, 100, 1.5)),
          command: near(fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 })),
          environment: near(environment),
          idle_timeout_seconds: near(fc.constant(null), seconds),
          start: near(fc.boolean()),
          kind: near(fc.constantFrom('service', 'job', 'cron')),
        },
        { requiredKeys: [] },
      ),
    );
    expectSameOutcomes(schemas.createContainerBody, zodBuilt.schemas.createContainerBody, near(body));
  });

  it('length checks on a value that has a length but is no string or array, as zod words them', () => {
    // fast-check once drew `{"image": {"length": false}}`: zod names such a value `unknown`; and
    // `{"image": {"length": {}}}`, whose length compares as neither within nor beyond a bound.
    const lengthy = fc.constantFrom(
      { length: false },
      { length: 0 },
      { length: 99_999 },
      { length: '' },
      { length: {} },
      { length: Number.NaN },
      { length: null },
      { length: [300] },
    );
    const body = fc.record({ name: fc.oneof(slugs, lengthy), image: lengthy });
    expectSameOutcomes(schemas.createContainerBody, zodBuilt.schemas.createContainerBody, body);
  });

  it('string lengths in code points, as zod and JSON Schema count them: a surrogate pair is one character', () => {
    const astral = '\u{1F600}';
    const lone = '\uD83D';
    const text = fc
      .array(fc.constantFrom('a', astral, lone, '\uDE00', 'é'), { maxLength: 300 })
      .map((parts) => parts.join(''));
    const exact = fc.constantFrom(
      astral.repeat(255),
      astral.repeat(256),
      `${'a'.repeat(254)}${astral}`,
      lone,
      '',
    );
    const body = fc.record({ name: fc.oneof(slugs, text), image: fc.oneof(text, exact) });
    expectSameOutcomes(schemas.createContainerBody, zodBuilt.schemas.createContainerBody, body);
    const webhook = fc.record({ url: fc.oneof(text, exact), description: fc.oneof(text, exact) });
    expectSameOutcomes(schemas.createWebhookBody, zodBuilt.schemas.createWebhookBody, webhook);
  });

  it('list and status-log queries: coerced numbers, enums, defaults and cursor-or-page', () => {
    const listQuery = sometimesExtraKeys(
      fc.record(
        {
          status: queryValues,
          project_id: near(slugs),
          per_page: queryValues,
          limit: queryValues,
          cursor: queryValues,
          page: queryValues,
          sort_order: queryValues,
          owner_id: queryValues,
        },
        { requiredKeys: [] },
      ),
    );
    expectSameOutcomes(schemas.listContainersQuery, zodBuilt.schemas.listContainersQuery, listQuery);
    const logQuery = sometimesExtraKeys(
      fc.record(
        {
          page: queryValues,
          limit: queryValues,
          per_page: queryValues,
          sort_by: near(fc.constantFrom('transition_time', 'to_status', 'from_status', 'created_at', 'x')),
          sort_order: queryValues,
          cursor: queryValues,
        },
        { requiredKeys: [] },
      ),
    );
    expectSameOutcomes(schemas.listStatusLogsQuery, zodBuilt.schemas.listStatusLogsQuery, logQuery);
  });

  it('path parameters, snooze bodies and long-poll queries', () => {
    const ids = near(fc.constantFrom('0123456789abcdef01234567', 'ABCDEF', ''), fc.string());
    expectSameOutcomes(
      schemas.idPath,
      zodBuilt.schemas.idPath,
      near(fc.record({ id: ids }, { requiredKeys: [] })),
    );
    expectSameOutcomes(
      schemas.operationPath,
      zodBuilt.schemas.operationPath,
      fc.record({ id: ids, operation: near(fc.constantFrom('start', 'stop', 'force-stop', 'explode')) }),
    );
    expectSameOutcomes(
      schemas.snoozeBody,
      zodBuilt.schemas.snoozeBody,
      near(sometimesExtraKeys(fc.record({ seconds: near(seconds) }, { requiredKeys: [] }))),
    );
    expectSameOutcomes(
      longPoll.getOperationQuery,
      zodBuilt.longPoll.getOperationQuery,
      sometimesExtraKeys(fc.record({ wait: queryValues }, { requiredKeys: [] })),
    );
    expectSameOutcomes(
      longPoll.getContainerQuery,
      zodBuilt.longPoll.getContainerQuery,
      sometimesExtraKeys(fc.record({ wait_for: queryValues, timeout: queryValues }, { requiredKeys: [] })),
    );
  });

  it('JWT claims: subject, scope string and scp list', () => {
    const claims = fc.record(
      {
        sub: near(fc.constantFrom('user-1', '', 'x'.repeat(257))),
        scope: near(fc.constantFrom('containers:read', 'containers:read containers:write', '')),
        scp: near<unknown>(
          fc.constantFrom('containers:admin'),
          fc.array(fc.constantFrom('containers:read', 'x')),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(near(claims), (input) => {
        expect(caller.callerFromClaims(structuredClone(input))).toEqual(
          zodBuilt.caller.callerFromClaims(structuredClone(input)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('configuration: defaults, coerced numbers, lists, flags, URLs and the messages of a bad one', () => {
    const valid = {
      TABLE_NAME: 't',
      CURSOR_SECRET: 's'.repeat(32),
      ECS_CLUSTER: 'c',
      ECS_SUBNETS: 'subnet-1, subnet-2',
    };
    const environment = fc.record(
      {
        TABLE_NAME: fc.constantFrom('t', ''),
        CURSOR_SECRET: fc.constantFrom('s'.repeat(32), 'short'),
        CONTAINER_QUOTA: queryValues,
        RETENTION_DAYS: queryValues,
        ECS_SUBNETS: fc.constantFrom('subnet-1', ' a , ,b ', '', ','),
        ECS_ASSIGN_PUBLIC_IP: fc.constantFrom('true', 'false', 'yes'),
        DYNAMODB_ENDPOINT: fc.constantFrom('http://127.0.0.1:8000', 'not a url', ''),
        TASK_FAMILY_PREFIX: fc.constantFrom('clc', 'bad prefix'),
      },
      { requiredKeys: [] },
    );
    const load = (loader: typeof config.loadConfig, env: Record<string, string>) => {
      try {
        return { config: loader({ ...valid, ...env }) };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    fc.assert(
      fc.property(environment, (env) => {
        expect(load(config.loadConfig, env)).toEqual(load(zodBuilt.config.loadConfig, env));
      }),
      { numRuns: 300 },
    );
  });
});
