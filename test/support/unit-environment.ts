/**
 * The environment a function's module reads at load, as the unit suites give it (no endpoint is
 * called: the clients are mocked). Set it before the dynamic import of the handler.
 */
export function setUnitEnvironment(extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    TABLE_NAME: 'unit',
    CURSOR_SECRET: 'x'.repeat(32),
    ECS_CLUSTER: 'default',
    ECS_SUBNETS: 'subnet-1',
    AWS_REGION: 'us-east-1',
    LOG_LEVEL: 'SILENT',
    ...extra,
  });
}
