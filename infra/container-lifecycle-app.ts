import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeployConfig } from './deploy-config';
import { ServiceStack } from './service-stack';
import { StatefulStack } from './stateful-stack';

/**
 * The whole app on the given App: the stateful stack (the table), the service stack (everything
 * else) and the cdk-nag AwsSolutions checks, which fail the synth on an unacknowledged finding.
 */
export function defineApp(app: App) {
  const config = readDeployConfig(app.node);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  const prefix = `ContainerLifecycle-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, { stage: config.stage });
  const service = new ServiceStack(app, `${prefix}-Service`, {
    stage: config.stage,
    table: stateful.table,
    jwtIssuer: config.jwtIssuer,
    jwtAudience: config.jwtAudience,
    ...(config.network ? { network: config.network } : {}),
    ...(config.alarmTopicArn ? { alarmTopicArn: config.alarmTopicArn } : {}),
  });
  return { config, stateful, service };
}
