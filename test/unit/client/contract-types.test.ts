/**
 * The client writes the contract's shapes out rather than importing server code; these checks
 * (made by `tsc`, and at run time for the lists) keep the two from drifting apart.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as client from '../../../client';
import { type ContainerKind, containerKinds, type Trigger } from '../../../lib/domain/container';
import { containerStatuses, isAtRest, transitionalStatuses } from '../../../lib/domain/container-status';
import type { ErrorCode } from '../../../lib/domain/errors';
import { operations } from '../../../lib/domain/operations';
import { type ScheduleSource, weekdays } from '../../../lib/domain/schedule';
import { deliveryOutcomes, webhookEventTypes } from '../../../lib/domain/webhook';
import type {
  batchView,
  containerView,
  createdContainerView,
  deliveryView,
  idleView,
  jobRunView,
  operationAcceptedView,
  operationView,
  schedulePreviewView,
  scheduleView,
  statusLogView,
  statusSummaryView,
  webhookView,
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

  it('tells a container at rest as the server does, for every kind and status', () => {
    for (const kind of containerKinds) {
      for (const status of containerStatuses) {
        expect({ kind, status, atRest: client.isAtRest({ kind, status }) }).toEqual({
          kind,
          status,
          atRest: isAtRest({ kind, status }),
        });
      }
    }
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

  it('has the same weekdays, webhook event types, delivery outcomes, kinds and schedule sources', () => {
    expect(client.weekdays).toEqual(weekdays);
    expect(client.webhookEventTypes).toEqual(webhookEventTypes);
    expect(client.deliveryOutcomes).toEqual(deliveryOutcomes);
    expectTypeOf<client.ContainerKind>().toEqualTypeOf<ContainerKind>();
    expectTypeOf<client.ScheduleSource>().toEqualTypeOf<ScheduleSource>();
  });

  it('declares the schedules, job runs, webhooks and deliveries as their views answer them', () => {
    type View<F extends (...args: never[]) => unknown> = ReturnType<F>;
    expectTypeOf<View<typeof jobRunView>>().toExtend<client.JobRun>();
    expectTypeOf<keyof client.JobRun>().toExtend<keyof View<typeof jobRunView>>();
    expectTypeOf<View<typeof scheduleView>>().toExtend<client.Schedule>();
    expectTypeOf<keyof client.Schedule>().toExtend<keyof View<typeof scheduleView>>();
    expectTypeOf<View<typeof schedulePreviewView>>().toExtend<client.SchedulePreview>();
    expectTypeOf<keyof client.SchedulePreview>().toExtend<keyof View<typeof schedulePreviewView>>();
    // The view widens its `['*']` (every type) to string[]: the client names the values it may hold.
    type WebhookFields = Omit<View<typeof webhookView>, 'events'>;
    expectTypeOf<View<typeof webhookView>['events'][number]>().toEqualTypeOf<string>();
    expectTypeOf<client.Webhook['events'][number]>().toExtend<string>();
    expectTypeOf<WebhookFields>().toExtend<Omit<client.Webhook, 'events'>>();
    expectTypeOf<keyof client.Webhook>().toExtend<keyof View<typeof webhookView>>();
    // The view has the secret only when asked (withSecret, the create's answer).
    expectTypeOf<WebhookFields & { secret: string }>().toExtend<Omit<client.CreatedWebhook, 'events'>>();
    expectTypeOf<keyof client.CreatedWebhook>().toExtend<keyof View<typeof webhookView>>();
    expectTypeOf<View<typeof deliveryView>>().toExtend<client.Delivery>();
    expectTypeOf<keyof client.Delivery>().toExtend<keyof View<typeof deliveryView>>();
  });
});
