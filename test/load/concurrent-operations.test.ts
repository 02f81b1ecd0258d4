import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../support/local-stack';
import { consistencyProblems, reconcileOnce, settle } from './consistency';

const image = 'public.ecr.aws/docker/library/nginx:1.27';
const owners = ['ann', 'ben', 'cat', 'dan'];
const perOwner = 5;
const requests = 200;
const actions = ['start', 'stop', 'force-stop', 'restart', 'pause', 'resume', 'activity', 'status'] as const;

/** A small seeded generator, so a failing mix can be replayed. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('200 concurrent requests over 20 containers through the gateway', () => {
  let stack: LocalStack;
  const containers: { id: string; owner: string }[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({ quota: perOwner, emulator: { startMs: 40, stopMs: 40 } });
    await Promise.all(
      owners.flatMap((owner) =>
        Array.from({ length: perOwner }, async (_, index) => {
          const created = await stack.api('POST', '/v1/containers', {
            as: owner,
            body: { name: `load-${index}`, image, start: index % 2 === 0 },
          });
          expect(created.status).toBe(201);
          containers.push({ id: created.body.data.id, owner });
        }),
      ),
    );
    await settle(
      stack,
      containers.map((container) => container.id),
    );
  });
  afterAll(async () => {
    await stack.close();
  });

  it('answers no 5xx, and leaves every container settled, with a valid history, matching its ECS task', async () => {
    // Prepare
    const random = seeded(20_261_122);
    const plan = Array.from({ length: requests }, () => {
      const container = containers[Math.floor(random() * containers.length)];
      const action = actions[Math.floor(random() * actions.length)];
      if (!container || !action) throw new Error('empty plan');
      return { ...container, action };
    });
    const ids = containers.map((container) => container.id);

    // Act
    const started = Date.now();
    const answers = await Promise.all(
      plan.map(async ({ id, owner, action }) => {
        const response =
          action === 'status'
            ? await stack.api('GET', `/v1/containers/${id}/status`, { as: owner })
            : await stack.api('POST', `/v1/containers/${id}/${action}`, { as: owner });
        return { action, status: response.status, code: response.body?.error?.code as string | undefined };
      }),
    );
    const elapsedMs = Date.now() - started;
    const settledAlone = await settle(stack, ids);
    const reconciled = settledAlone ? undefined : await reconcileOnce(stack);
    if (!settledAlone) await settle(stack, ids, { timeoutMs: 5_000 });
    const problems = await consistencyProblems(stack, ids);

    // Assess
    const serverErrors = answers.filter((answer) => answer.status >= 500);
    expect(serverErrors).toEqual([]);
    for (const answer of answers) {
      expect([200, 202, 204, 409]).toContain(answer.status);
      if (answer.status === 409) expect(answer.code).toBe('OPERATION_STATE_CONFLICT');
    }
    expect(answers.filter((answer) => answer.status === 202).length).toBeGreaterThan(20);
    expect(problems).toEqual([]);
    expect(reconciled?.failed ?? 0).toBe(0);
    console.info(
      `load: ${requests} requests in ${elapsedMs} ms; ${answers.filter((a) => a.status === 202).length} accepted, ` +
        `${answers.filter((a) => a.status === 409).length} conflicts; settled without the reconciler: ${settledAlone}`,
    );
  }, 60_000); // Settling may take 15 s, and then the reconciler and 5 s more: past the default 20 s.
});
