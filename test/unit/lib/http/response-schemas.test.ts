/**
 * The response schemas of the OpenAPI document against the views that make the answers: the same
 * keys, and every value a view can give fits its schema's type (checked by `tsc`). The e2e suites
 * check the real answers against the document at run time.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type * as schemas from '../../../../lib/http/response-schemas';
import type * as views from '../../../../lib/http/views';
import type * as z from '../../../../lib/schema';

type View<F extends (...args: never[]) => unknown> = ReturnType<F>;
type Shape<S extends z.AnySchema> = z.infer<S>;
/** Readonly arrays and objects of a view compared as the plain JSON they become. */
type Json<T> = T extends readonly (infer Item)[]
  ? Json<Item>[]
  : T extends object
    ? { -readonly [K in keyof T]: Json<T[K]> }
    : T;

describe('the response schemas follow lib/http/views.ts', () => {
  it('name exactly the keys each view answers, with types its values fit', () => {
    expectTypeOf<Json<View<typeof views.containerView>>>().toExtend<
      Shape<typeof schemas.containerResponse>
    >();
    expectTypeOf<keyof View<typeof views.containerView>>().toEqualTypeOf<
      keyof Shape<typeof schemas.containerResponse>
    >();
    expectTypeOf<Json<View<typeof views.statusLogView>>>().toExtend<
      Shape<typeof schemas.statusLogResponse>
    >();
    expectTypeOf<keyof View<typeof views.statusLogView>>().toEqualTypeOf<
      keyof Shape<typeof schemas.statusLogResponse>
    >();
    expectTypeOf<Json<View<typeof views.statusSummaryView>>>().toExtend<
      Shape<typeof schemas.statusSummaryResponse>
    >();
    expectTypeOf<keyof View<typeof views.statusSummaryView>>().toEqualTypeOf<
      keyof Shape<typeof schemas.statusSummaryResponse>
    >();
    expectTypeOf<Json<View<typeof views.operationAcceptedView>>>().toExtend<
      Shape<typeof schemas.operationAcceptedResponse>
    >();
    expectTypeOf<Json<View<typeof views.createdContainerView>>>().toExtend<
      Shape<typeof schemas.createdContainerResponse>
    >();
    expectTypeOf<keyof View<typeof views.createdContainerView>['data']>().toEqualTypeOf<
      keyof Shape<typeof schemas.createdContainerResponse>['data']
    >();
    expectTypeOf<Json<View<typeof views.operationView>>>().toExtend<
      Shape<typeof schemas.operationResponse>
    >();
    expectTypeOf<keyof View<typeof views.operationView>>().toEqualTypeOf<
      keyof Shape<typeof schemas.operationResponse>
    >();
    // blocked_by and a webhook's events are typed string[] by their views; the schemas name the values.
    expectTypeOf<Omit<Json<View<typeof views.idleView>>, 'blocked_by'>>().toExtend<
      Omit<Shape<typeof schemas.idleResponse>, 'blocked_by'>
    >();
    expectTypeOf<keyof View<typeof views.idleView>>().toEqualTypeOf<
      keyof Shape<typeof schemas.idleResponse>
    >();
    expectTypeOf<Json<View<typeof views.batchView>>>().toExtend<Shape<typeof schemas.batchResponse>>();
    expectTypeOf<Json<View<typeof views.scheduleView>>>().toExtend<Shape<typeof schemas.scheduleResponse>>();
    expectTypeOf<keyof View<typeof views.scheduleView>>().toEqualTypeOf<
      keyof Shape<typeof schemas.scheduleResponse>
    >();
    expectTypeOf<Json<View<typeof views.schedulePreviewView>>>().toExtend<
      Shape<typeof schemas.schedulePreviewResponse>
    >();
    expectTypeOf<keyof View<typeof views.schedulePreviewView>>().toEqualTypeOf<
      keyof Shape<typeof schemas.schedulePreviewResponse>
    >();
    expectTypeOf<Omit<Json<View<typeof views.webhookView>>, 'events'>>().toExtend<
      Omit<Shape<typeof schemas.webhookResponse>, 'events'>
    >();
    expectTypeOf<keyof View<typeof views.webhookView>>().toEqualTypeOf<
      keyof Shape<typeof schemas.webhookResponse>
    >();
    expectTypeOf<Json<View<typeof views.deliveryView>>>().toExtend<Shape<typeof schemas.deliveryResponse>>();
    expectTypeOf<keyof View<typeof views.deliveryView>>().toEqualTypeOf<
      keyof Shape<typeof schemas.deliveryResponse>
    >();
    expectTypeOf<Json<View<typeof views.jobRunView>>>().toExtend<Shape<typeof schemas.jobRunResponse>>();
    expectTypeOf<keyof View<typeof views.jobRunView>>().toEqualTypeOf<
      keyof Shape<typeof schemas.jobRunResponse>
    >();
  });
});
