/**
 * The middleware chain under httpHandler, on middy's model: a middleware is `{before, after,
 * onError}`; `before`s run in order, `after`s and `onError`s in reverse; a `before` that returns a
 * response ends the request with it (no handler, no `after`); an error anywhere runs every
 * `onError`, and is thrown on when none of them set a response.
 *
 * Why not @middy/core itself: at load it imports node:stream/web for response streaming, which
 * this API never uses, and that alone cost every function 2.5 ms of issue 6's 7 ms cold-load
 * allowance (measured with `npx tsx bench/bundles.ts`).
 */

export interface MiddlewareRequest<TEvent, TResult, TContext> {
  readonly event: TEvent;
  readonly context: TContext;
  response: TResult | undefined;
  error: Error | undefined;
}

export interface Middleware<TEvent, TResult, TContext> {
  /** Returns a response to answer with it at once, or nothing to go on. */
  before?(
    request: MiddlewareRequest<TEvent, TResult, TContext>,
  ): Promise<TResult | undefined> | TResult | undefined;
  after?(request: MiddlewareRequest<TEvent, TResult, TContext>): Promise<void> | void;
  onError?(request: MiddlewareRequest<TEvent, TResult, TContext>): Promise<void> | void;
}

export function withMiddleware<TEvent, TResult, TContext>(
  middlewares: readonly Middleware<TEvent, TResult, TContext>[],
  handler: (event: TEvent, context: TContext) => Promise<TResult>,
): (event: TEvent, context: TContext) => Promise<TResult> {
  const reversed = [...middlewares].reverse();
  return async (event, context) => {
    const request: MiddlewareRequest<TEvent, TResult, TContext> = {
      event,
      context,
      response: undefined,
      error: undefined,
    };
    try {
      for (const middleware of middlewares) {
        const early = await middleware.before?.(request);
        if (early !== undefined) return early;
      }
      request.response = await handler(event, context);
      for (const middleware of reversed) await middleware.after?.(request);
      return request.response;
    } catch (error) {
      request.error = error instanceof Error ? error : new Error(String(error));
      request.response = undefined;
      for (const middleware of reversed) await middleware.onError?.(request);
      if (request.response === undefined) throw request.error;
      return request.response;
    }
  };
}
