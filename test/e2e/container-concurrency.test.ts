import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyProblems } from '../support/history';
import { type LocalStack, startLocalStack } from '../support/local-stack';

const image = 'public.ecr.aws/docker/library/nginx:1.27';
const operations = ['start', 'stop', 'force-stop', 'restart', 'pause', 'resume'];

describe('concurrent operations on one container', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({ emulator: { startMs: 40, stopMs: 40 } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('50 operations fired at once leave a valid, gap-free history that ends in the container status', async () => {
    // Prepare
    const created = await stack.api('POST', '/v1/containers', { body: { name: 'contended', image } });
    const id = created.body.data.id;
    await stack.waitForStatus(id, 'running');

    // Act
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        stack.api('POST', `/v1/containers/${id}/${operations[index % operations.length]}`),
      ),
    );
    await settle(id);
    await stack.bus.drain();
    const logs = await stack.api(
      'GET',
      `/v1/containers/${id}/status-logs?sort_by=created_at&sort_order=asc&limit=100`,
    );
    const status = await stack.api('GET', `/v1/containers/${id}/status`);

    // Assess
    const codes = new Set(responses.map((response) => response.status));
    expect([...codes].every((code) => code === 202 || code === 409)).toBe(true);
    expect(responses.filter((response) => response.status === 202).length).toBeGreaterThan(0);
    const entries = logs.body.data.status_logs;
    expect(historyProblems(entries)).toEqual([]);
    expect(entries).toHaveLength(status.body.data.version);
    expect(entries[entries.length - 1].to_status).toBe(status.body.data.status);
    const accepted = responses.filter((response) => response.status === 202).length;
    const userEntries = entries.filter(
      (entry: { triggered_by: string; operation: string }) =>
        entry.triggered_by === 'user' && entry.operation !== 'create',
    );
    // Each accepted operation wrote exactly one entry (an undone one writes two).
    expect(userEntries.length).toBeGreaterThanOrEqual(accepted);
  });

  async function settle(id: string) {
    const deadline = Date.now() + 15_000;
    const settled = ['running', 'stopped', 'paused', 'error'];
    let quietSince = Date.now();
    let lastVersion = -1;
    while (Date.now() < deadline) {
      const status = await stack.api('GET', `/v1/containers/${id}/status`);
      if (status.body.data.version !== lastVersion) {
        lastVersion = status.body.data.version;
        quietSince = Date.now();
      }
      if (settled.includes(status.body.data.status) && Date.now() - quietSince > 400) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const status = await stack.api('GET', `/v1/containers/${id}/status`);
    const logs = await stack.api(
      'GET',
      `/v1/containers/${id}/status-logs?sort_by=created_at&sort_order=asc&limit=100`,
    );
    throw new Error(
      `the container never settled: ${JSON.stringify(status.body.data)} ${JSON.stringify(logs.body.data.status_logs.map((l: { from_status: string; to_status: string; triggered_by: string; reason: string }) => `${l.from_status}>${l.to_status} ${l.triggered_by} ${l.reason}`))}`,
    );
  }
});
