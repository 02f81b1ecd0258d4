import { describe, expect, it } from 'vitest';
import type { Container, StatusLog } from '../../../../lib/domain/container';
import { DomainError } from '../../../../lib/domain/errors';
import { newTransitionId } from '../../../../lib/domain/transition-id';
import type { ContainerRepository, TransitionRecord } from '../../../../lib/ports/container-repository';
import { getOperation } from '../../../../lib/use-cases/get-operation';
import { aContainer, aLog } from '../../../support/containers';

const alice = { id: 'usr_alice', isAdmin: false };

/**
 * A repository holding one started container whose task reports RUNNING after `settleAfterReads`
 * reads, counting the reads of each kind; a clock that moves only when the poll sleeps.
 */
function startedContainer(settleAfterReads: number) {
  let now = Date.parse('2026-11-22T10:30:00.000Z');
  const starting = aContainer({ status: 'starting', version: 4 });
  const id = newTransitionId(starting.id, 4);
  const entry: StatusLog = aLog({
    id,
    containerId: starting.id,
    version: 4,
    fromStatus: 'stopped',
    toStatus: 'starting',
    operation: 'start',
  });
  const next = aLog({
    containerId: starting.id,
    version: 5,
    fromStatus: 'starting',
    toStatus: 'running',
    triggeredBy: 'ecs',
  });
  const reads = { records: 0, containers: 0 };
  const settled = () => reads.records + reads.containers > settleAfterReads;
  const current = (): Container => (settled() ? { ...starting, status: 'running', version: 5 } : starting);
  const repository = {
    async getTransitionRecord(): Promise<TransitionRecord> {
      reads.records += 1;
      return { container: current(), entry, next: settled() ? next : undefined };
    },
    async getContainer() {
      reads.containers += 1;
      return current();
    },
  } as unknown as ContainerRepository;
  return {
    id,
    reads,
    deps: { repository, clock: { now: () => new Date(now) } },
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe('getOperation', () => {
  it('reads the record once, then the container alone on each poll, and the record again once it moved', async () => {
    // Prepare
    const { id, reads, deps, sleep } = startedContainer(4);

    // Act
    const state = await getOperation(deps, { actor: alice, operationId: id, waitSeconds: 25, sleep });

    // Assess
    expect(state.status).toBe('succeeded');
    expect(reads).toEqual({ records: 2, containers: 4 });
  });

  it('answers pending once the wait runs out', async () => {
    // Prepare
    const { id, deps, sleep } = startedContainer(Number.POSITIVE_INFINITY);

    // Act
    const state = await getOperation(deps, { actor: alice, operationId: id, waitSeconds: 2, sleep });

    // Assess
    expect(state.status).toBe('pending');
  });

  it("answers another owner's operation OPERATION_NOT_FOUND, and an admin's with the operation", async () => {
    // Prepare
    const { id, deps, sleep } = startedContainer(0);

    // Act
    // Caught at once: left pending while the admin's call is awaited, its rejection could be
    // reported as unhandled.
    const mallory = getOperation(deps, {
      actor: { id: 'usr_mallory', isAdmin: false },
      operationId: id,
      sleep,
    }).catch((error: unknown) => error);
    const admin = await getOperation(deps, {
      actor: { id: 'usr_admin', isAdmin: true },
      operationId: id,
      sleep,
    });

    // Assess
    expect(await mallory).toMatchObject({ code: 'OPERATION_NOT_FOUND' });
    expect(await mallory).toBeInstanceOf(DomainError);
    expect(admin.id).toBe(id);
  });

  it('answers OPERATION_NOT_FOUND for the id of a write that lost its race: same version, other random part', async () => {
    // Prepare
    const { id, deps, sleep } = startedContainer(0);
    const loser = `${id.slice(0, -8)}00000000`;

    // Act
    const lookup = getOperation(deps, { actor: alice, operationId: loser, sleep });

    // Assess
    await expect(lookup).rejects.toMatchObject({ code: 'OPERATION_NOT_FOUND' });
  });
});
