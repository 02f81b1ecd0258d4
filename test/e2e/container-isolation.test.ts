import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';

describe("owner isolation: nobody sees or changes another owner's containers", () => {
  let stack: LocalStack;
  let aliceId: string;

  beforeAll(async () => {
    stack = await startLocalStack();
    const created = await stack.api('POST', '/v1/containers', {
      as: 'alice',
      body: { name: 'mine', image, start: false },
    });
    aliceId = created.body.data.id;
    await stack.api('POST', '/v1/containers', {
      as: 'alice',
      body: { name: 'mine-too', image, start: false },
    });
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each([
    ['GET', ''],
    ['GET', '/status'],
    ['GET', '/status-logs'],
    ['DELETE', ''],
    ['POST', '/start'],
    ['POST', '/stop'],
    ['POST', '/force-stop'],
    ['POST', '/restart'],
    ['POST', '/pause'],
    ['POST', '/resume'],
  ])("answers 404 CONTAINER_NOT_FOUND to bob for %s on alice's container%s", async (method, suffix) => {
    const response = await stack.api(method, `/v1/containers/${aliceId}${suffix}`, { as: 'bob' });

    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('CONTAINER_NOT_FOUND');
  });

  it("leaves alice's container untouched after bob's attempts", async () => {
    const status = await stack.api('GET', `/v1/containers/${aliceId}/status`, { as: 'alice' });

    expect(status.body.data).toMatchObject({ status: 'stopped', version: 2 });
  });

  it("never lists alice's containers to bob, nor counts them", async () => {
    const list = await stack.api('GET', '/v1/containers', { as: 'bob' });

    expect(list.body.data.containers).toEqual([]);
    expect(list.body.pagination.total).toBe(0);
    expect(list.body.quota.used).toBe(0);
  });

  it("refuses alice's cursor to bob with INVALID_CURSOR", async () => {
    const page = await stack.api('GET', '/v1/containers?per_page=1', { as: 'alice' });

    const stolen = await stack.api('GET', `/v1/containers?per_page=1&cursor=${page.body.pagination.cursor}`, {
      as: 'bob',
    });

    expect(page.body.pagination.cursor).toEqual(expect.any(String));
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.code).toBe('INVALID_CURSOR');
  });

  it("ignores owner_id in bob's list query: a plain caller only ever lists its own", async () => {
    const list = await stack.api('GET', '/v1/containers?owner_id=alice', { as: 'bob' });

    expect(list.body.data.containers).toEqual([]);
  });

  it("lets containers:admin read, list and act on every owner's containers", async () => {
    const admin = { as: 'root', scope: 'containers:admin' };

    const read = await stack.api('GET', `/v1/containers/${aliceId}`, admin);
    const list = await stack.api('GET', '/v1/containers?owner_id=alice', admin);
    const started = await stack.api('POST', `/v1/containers/${aliceId}/start`, admin);

    expect(read.status).toBe(200);
    expect(list.body.data.containers.map((container: { owner_id: string }) => container.owner_id)).toEqual([
      'alice',
      'alice',
    ]);
    expect(started.status).toBe(202);
    await stack.waitForStatus(aliceId, 'running');
  });
});
