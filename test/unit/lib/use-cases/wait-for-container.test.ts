import { describe, expect, it } from 'vitest';
import type { Container } from '../../../../lib/domain/container';
import type { ContainerRepository } from '../../../../lib/ports/container-repository';
import { waitForContainer } from '../../../../lib/use-cases/wait-for-container';
import { aContainer } from '../../../support/containers';

const alice = { id: 'usr_alice', isAdmin: false };

/**
 * A repository holding one running container that ends in `endsIn` after `endAfterReads` reads
 * (never with Infinity); a clock that moves only when the poll sleeps.
 */
function runningContainer(kind: Container['kind'], endsIn: Container['status'], endAfterReads: number) {
  let now = Date.parse('2026-11-22T10:30:00.000Z');
  const running = aContainer({ kind, status: 'running', version: 5 });
  let reads = 0;
  const repository = {
    async getContainer() {
      reads += 1;
      return reads > endAfterReads ? { ...running, status: endsIn, version: 6 } : running;
    },
  } as unknown as ContainerRepository;
  return {
    id: running.id,
    reads: () => reads,
    deps: { repository, clock: { now: () => new Date(now) } },
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe('waitForContainer', () => {
  it('waits on a running job until it succeeds, since a job ends by itself', async () => {
    // Prepare
    const { id, reads, deps, sleep } = runningContainer('job', 'succeeded', 3);

    // Act
    const waited = await waitForContainer(deps, {
      actor: alice,
      containerId: id,
      status: 'succeeded',
      waitSeconds: 25,
      sleep,
    });

    // Assess
    expect(waited).toMatchObject({ timedOut: false, container: { status: 'succeeded', version: 6 } });
    expect(reads()).toBe(4);
  });

  it('answers a running job that ends elsewhere as it ended: failed, waited for succeeded', async () => {
    const { id, deps, sleep } = runningContainer('job', 'failed', 2);

    const waited = await waitForContainer(deps, {
      actor: alice,
      containerId: id,
      status: 'succeeded',
      waitSeconds: 25,
      sleep,
    });

    expect(waited).toMatchObject({ timedOut: false, container: { status: 'failed' } });
  });

  it('answers a running service waited for stopped at once: it is at rest and will not stop by itself', async () => {
    const { id, reads, deps, sleep } = runningContainer('service', 'stopped', Number.POSITIVE_INFINITY);

    const waited = await waitForContainer(deps, {
      actor: alice,
      containerId: id,
      status: 'stopped',
      waitSeconds: 25,
      sleep,
    });

    expect(waited).toMatchObject({ timedOut: false, container: { status: 'running' } });
    expect(reads()).toBe(1);
  });

  it('says it timed out when a running job is still running at the deadline', async () => {
    const { id, deps, sleep } = runningContainer('job', 'succeeded', Number.POSITIVE_INFINITY);

    const waited = await waitForContainer(deps, {
      actor: alice,
      containerId: id,
      status: 'succeeded',
      waitSeconds: 3,
      sleep,
    });

    expect(waited).toMatchObject({ timedOut: true, container: { status: 'running' } });
  });
});
