/**
 * Every request schema, for the OpenAPI document and the tests. A function imports the module of
 * its own route instead (paths.ts, container-bodies.ts, ...): this index would bundle and build
 * every schema into every function (issue 6's cold load; test/performance/bundle-contents.test.ts).
 */
export * from './batch-body';
export * from './container-bodies';
export * from './list-queries';
export * from './paths';
export * from './schedules';
export * from './webhook-body';
