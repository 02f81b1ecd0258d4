/**
 * The client writes the contract's shapes out rather than importing server code; these checks
 * (made by `tsc`, and at run time for the lists) keep the two from drifting apart.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as client from '../../../client';
import type { Trigger } from '../../../lib/domain/container';
import { containerStatuses, transitionalStatuses } from '../../../lib/domain/container-status';
import type { ErrorCode } from '../../../lib/domain/errors';
import { operations } from '../../../lib/domain/operations';
import type {
  batchView,
  containerView,
  createdContainerView,
  idleView,
  operationAcceptedView,
  operationView,
  statusLogView,
  statusSummaryView,
} from '../../../lib/http/views';

describe('the client types follow lib/http/views.ts', () => {
  it('has the same statuses, transitional statuses, operations and error codes as the server', () => {
    expect(client.containerStatuses).toEqual(containerStatuses);
    expect(client.transitionalStatuses).toEqual(transitionalStatuses);
    expect(client.operations).toEqual(operations);
    // One way: a code the server adds reaches the caller anyway (ContainerApiError.code is open).
    expectTypeOf<client.ErrorCode>().toExtend<ErrorCode>();
    expectTypeOf<client.Trigger>().toEqualTypeOf<Trigger>();
  });

  it('declares only fields the views answer, with types the views fit', () => {
    // One way only: a field the server adds is no break for a client that does not know it yet.
    type View<F extends (...args: never[]) => unknown> = ReturnType<F>;
    expectTypeOf<View<typeof containerView>>().toExtend<client.Container>();
    expectTypeOf<keyof client.Container>().toExtend<keyof View<typeof containerView>>();
    expectTypeOf<View<typeof createdContainerView>['data']>().toExtend<client.CreatedContainer>();
    expectTypeOf<View<typeof statusLogView>>().toExtend<client.StatusLog>();
    expectTypeOf<keyof client.StatusLog>().toExtend<keyof View<typeof statusLogView>>();
    expectTypeOf<View<typeof statusSummaryView>>().toExtend<client.StatusSummary>();
    expectTypeOf<keyof client.StatusSummary>().toExtend<keyof View<typeof statusSummaryView>>();
    expectTypeOf<View<typeof operationAcceptedView>['data']>().toExtend<client.OperationAccepted>();
    expectTypeOf<View<typeof operationView>>().toExtend<client.OperationState>();
    expectTypeOf<keyof client.OperationState>().toExtend<keyof View<typeof operationView>>();
    expectTypeOf<View<typeof idleView>>().toExtend<client.IdleView>();
    expectTypeOf<keyof client.IdleView>().toExtend<keyof View<typeof idleView>>();
    expectTypeOf<View<typeof batchView>['data']>().toExtend<client.BatchResult>();
  });
});
