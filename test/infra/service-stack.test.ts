import type { App, CfnResource } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineApp } from '../../infra/container-lifecycle-app';
import { backgroundFunctions, type FunctionAccess } from '../../infra/function-access';
import type { ServiceStack } from '../../infra/service-stack';
import { loadConfig } from '../../lib/config';
import { scopes } from '../../lib/http/caller';
import { httpRoutes } from '../../lib/http/routes';
import { identity, testApp } from './test-app';

const { jwtIssuer, jwtAudience } = identity;

type Json = Record<string, unknown>;
interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Json;
}

let app: App;
let service: ServiceStack;
let template: Template;

function logicalId(construct: IConstruct): string {
  return service.getLogicalId(construct.node.defaultChild as CfnResource);
}

function functionId(name: string): string {
  const fn = service.functions[name];
  if (!fn) throw new Error(`no function ${name}`);
  return logicalId(fn.function);
}

/** Every statement of every policy attached to the function's role. */
function statementsOf(name: string): Statement[] {
  const role = service.functions[name]?.role;
  if (!role) throw new Error(`no function ${name}`);
  const roleId = logicalId(role);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

function actionsOf(name: string): string[] {
  return statementsOf(name).flatMap((statement) => [statement.Action].flat());
}

function holders(action: string): string[] {
  return Object.keys(service.functions)
    .filter((name) => actionsOf(name).includes(action))
    .sort();
}

const method = (routeKey: string) => routeKey.split(' ')[0];

beforeAll(() => {
  app = testApp(identity);
  service = defineApp(app).service;
  template = Template.fromStack(service);
});

describe('ServiceStack HTTP API', () => {
  it('puts the JWT authorizer, with the configured issuer and audience, on every route', () => {
    // GIVEN the app synthesized with an issuer and an audience
    // WHEN the routes are read back
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    const authorizers = template.findResources('AWS::ApiGatewayV2::Authorizer');

    // THEN there is one route per entry of lib/http/routes.ts, and none without the authorizer
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(
      httpRoutes.map((route) => route.routeKey).sort(),
    );
    const [authorizerId] = Object.keys(authorizers);
    for (const route of routes) {
      expect(route.Properties).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
      });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: jwtIssuer, Audience: [jwtAudience] },
    });
  });

  it("requires each route's scope or the admin scope, and no scope for health", () => {
    for (const route of httpRoutes) {
      const scope = 'scope' in route ? route.scope : undefined;
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: route.routeKey,
        AuthorizationScopes: scope === undefined ? Match.absent() : [scope, scopes.admin],
      });
    }
  });

  it('sends each route to the function named by lib/http/routes.ts', () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    for (const route of httpRoutes) {
      const cfnRoute = routes.find((candidate) => candidate.Properties.RouteKey === route.routeKey);
      const target = JSON.stringify(cfnRoute?.Properties.Target);
      const [integrationId] = Object.keys(integrations).filter((id) => target.includes(`"${id}"`));
      expect(integrationId, route.routeKey).toBeDefined();
      expect(integrations[integrationId ?? '']?.Properties.IntegrationUri).toEqual({
        'Fn::GetAtt': [functionId(route.functionName), 'Arn'],
      });
    }
  });

  it('throttles the stage and writes access logs to a log group with a retention', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [logicalId(service.api.accessLogs), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context.requestId'),
      },
    });
    expect(template.toJSON().Resources[logicalId(service.api.accessLogs)].Properties.RetentionInDays).toBe(
      30,
    );
  });

  it('outputs the API URL', () => {
    template.hasOutput('ApiUrl', { Value: Match.anyValue() });
  });
});

describe('ServiceStack functions', () => {
  it('runs every function on Node.js 22, arm64, without parsing source maps at load, a log group with a retention, and every setting lib/config.ts requires', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    // The background functions: task events, auto-stop, reconcile, the three of the events out,
    // and the task definition release.
    expect(Object.keys(functions)).toHaveLength(httpRoutes.length + 7);
    const logGroups = template.findResources('AWS::Logs::LogGroup');
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
      const variables: Json = fn.Properties.Environment.Variables;
      // No --enable-source-maps: it parses the map at every cold start; logged errors read it on demand.
      expect(variables.NODE_OPTIONS).toBeUndefined();
      // Deploy-time values (tokens) stand in as long strings: only presence and literals matter here.
      const environment = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => [
          key,
          typeof value === 'string' ? value : 'x'.repeat(64),
        ]),
      );
      expect(() => loadConfig(environment)).not.toThrow();
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
      expect(logGroups[logGroupId]?.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('keeps the cursor secret out of the template: the environment resolves it from Secrets Manager at deploy time', () => {
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(JSON.stringify(fn?.Properties.Environment.Variables.CURSOR_SECRET)).toContain(
      '{{resolve:secretsmanager:',
    );
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
    });
  });

  it('gives read functions (GET routes) DynamoDB read actions only, on the table and its indexes', () => {
    const readActions = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'];
    for (const route of httpRoutes.filter((candidate) => method(candidate.routeKey) === 'GET')) {
      const actions = actionsOf(route.functionName);
      expect(
        actions
          // Every role may write its own logs and its X-Ray trace segments.
          .filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:'))
          .every((action) => readActions.includes(action)),
        route.functionName,
      ).toBe(true);
    }
    expect(actionsOf('get-container')).toEqual(expect.arrayContaining(readActions));
  });

  it('gives write functions the item actions a transaction needs, on the base table only', () => {
    const statement = statementsOf('create-container').find((candidate) =>
      [candidate.Action].flat().includes('dynamodb:PutItem'),
    );
    expect([statement?.Action].flat().sort()).toEqual(
      [
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    expect(JSON.stringify(statement?.Resource)).not.toContain('/index/');
  });

  it('grants no wildcard action in any policy of the stack', () => {
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Statement[]).flatMap((statement) =>
        [statement.Action].flat(),
      ),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('lets only the functions that start, stop or inspect tasks call ECS, and pass the task roles', () => {
    // auto-stop also applies the weekly schedules, whose starts are RunTask.
    expect(holders('ecs:RunTask')).toEqual([
      'auto-stop',
      'batch-operate-containers',
      'create-container',
      'ecs-task-state-change',
      'operate-container',
      'reconcile',
    ]);
    expect(holders('ecs:StopTask')).toEqual([
      'auto-stop',
      'batch-operate-containers',
      'create-container',
      'delete-container',
      'ecs-task-state-change',
      'operate-container',
      'reconcile',
    ]);
    expect(holders('ecs:RegisterTaskDefinition')).toEqual(['create-container']);
    expect(holders('iam:PassRole')).toEqual(holders('ecs:RunTask'));
  });

  it("releases task definitions off the DELETE path: neither delete nor batch may deregister, the stream release may, and may remove the container's schedule", () => {
    // create undoes its own registration; reconcile releases those of expired containers.
    expect(holders('ecs:DeregisterTaskDefinition')).toEqual([
      'create-container',
      'reconcile',
      'release-task-definitions',
    ]);
    expect(actionsOf('release-task-definitions').filter((action) => action.startsWith('ecs:'))).toEqual([
      'ecs:DeregisterTaskDefinition',
    ]);
    // It reads the stream, and writes the table: a deleted container's schedule goes with its definition.
    const tableActions = actionsOf('release-task-definitions').filter((action) =>
      action.startsWith('dynamodb:'),
    );
    // The table's write access, as every function that writes it has, and the stream's reads.
    expect([...new Set(tableActions)].sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
      'dynamodb:DescribeStream',
      'dynamodb:GetItem',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
  });

  it('lets only the transition publisher send events: the auto-stop sweep writes its idle warnings to the outbox', () => {
    expect(holders('events:PutEvents')).toEqual(['publish-transitions']);
  });

  it('feeds the table stream to the transition publisher and the task definition release, each from its start, with batch item failures reported', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    const streamMappings = mappings.filter((mapping) =>
      JSON.stringify(mapping.Properties.EventSourceArn).includes('StreamArn'),
    );
    expect(streamMappings.map((mapping) => mapping.Properties.FunctionName.Ref).sort()).toEqual(
      [functionId('publish-transitions'), functionId('release-task-definitions')].sort(),
    );
    for (const mapping of streamMappings) {
      expect(mapping.Properties).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
    const streamReaders = Object.entries(backgroundFunctions as Record<string, FunctionAccess>)
      .filter(([, access]) => access.readsTableStream)
      .map(([name]) => name)
      .sort();
    expect(holders('dynamodb:GetRecords')).toEqual(streamReaders);
    expect(streamReaders).toEqual(['publish-transitions', 'release-task-definitions']);
    expect(actionsOf('publish-transitions')).not.toContain('dynamodb:PutItem');
  });

  it('invokes the task definition release only for release items inserted by a delete', () => {
    // GIVEN the release's stream mapping
    const [mapping] = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (candidate) => candidate.Properties.FunctionName.Ref === functionId('release-task-definitions'),
    );

    // WHEN its filter is read back THEN it names INSERT and the release kind of the new image
    expect(
      mapping?.Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) =>
        JSON.parse(filter.Pattern),
      ),
    ).toEqual([
      {
        eventName: ['INSERT'],
        dynamodb: { NewImage: { kind: { S: ['task-definition-release'] } } },
      },
    ]);
  });

  it('retries a stalled task definition release until the record is 23 h old, then names it in an alarmed dead-letter queue', () => {
    const queueArn = { 'Fn::GetAtt': [logicalId(service.taskDefinitionReleaseDeadLetterQueue), 'Arn'] };
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('release-task-definitions') },
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: 23 * 3600,
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(
      alarms.filter(
        (alarm) =>
          alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(alarm.Properties.Dimensions).includes(
            logicalId(service.taskDefinitionReleaseDeadLetterQueue),
          ),
      ),
    ).toHaveLength(1);
  });

  it('retries a stalled transition stream until the record is 23 h old, then names it in an alarmed dead-letter queue', () => {
    // GIVEN the app synthesized
    // WHEN the stream mapping and the alarms are read back
    const queueArn = { 'Fn::GetAtt': [logicalId(service.transitionOutboxDeadLetterQueue), 'Arn'] };
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

    // THEN only the record's age (below the stream's 24 h) ends the retries, and it ends them in a queue
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('publish-transitions') },
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: 23 * 3600,
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
    expect(statementsOf('publish-transitions')).toContainEqual(
      expect.objectContaining({ Action: expect.arrayContaining(['sqs:SendMessage']), Resource: queueArn }),
    );
    // AND a message in that queue raises an alarm
    expect(
      alarms.filter(
        (alarm) =>
          alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(alarm.Properties.Dimensions).includes(
            logicalId(service.transitionOutboxDeadLetterQueue),
          ),
      ),
    ).toHaveLength(1);
  });

  it('alarms, in one alarm, when either stream function is handed records more than 5 minutes old (a stalled stream)', () => {
    // GIVEN the alarms WHEN the one watching IteratorAge is read back
    const watching = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
      JSON.stringify(alarm.Properties.Metrics ?? []).includes('"MetricName":"IteratorAge"'),
    );
    expect(watching).toHaveLength(1);
    const alarm = watching[0]?.Properties;
    const stats = (alarm.Metrics as { MetricStat?: Json }[]).flatMap((query) =>
      query.MetricStat ? [query.MetricStat] : [],
    );

    // THEN it takes the oldest record of each, per minute, and fires above 5 minutes
    expect(alarm).toMatchObject({ Threshold: 5 * 60 * 1000, ComparisonOperator: 'GreaterThanThreshold' });
    expect(alarm.Metrics).toContainEqual(
      expect.objectContaining({ Expression: 'MAX(METRICS())', ReturnData: true }),
    );
    expect(stats.map((stat) => (stat.Metric as Json).Dimensions)).toEqual([
      [{ Name: 'FunctionName', Value: { Ref: functionId('publish-transitions') } }],
      [{ Name: 'FunctionName', Value: { Ref: functionId('release-task-definitions') } }],
    ]);
    for (const stat of stats) expect(stat).toMatchObject({ Period: 60, Stat: 'Maximum' });
  });

  it('sends our platform events to the webhook deliveries, and retries failed deliveries every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['container-lifecycle-api'],
        'detail-type': ['container.status-changed', 'container.auto-stopped', 'container.idle-warning'],
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId('deliver-webhooks'), 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [logicalId(service.webhookEventsDeadLetterQueue), 'Arn'] },
          },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [functionId('retry-webhook-deliveries'), 'Arn'] },
      }),
    });
    expect(service.functions['deliver-webhooks']?.function).toBeDefined();
  });

  it('scopes ECS calls to the cluster and the family prefix, and PassRole to the two task roles and ECS', () => {
    const clusterArn = { 'Fn::GetAtt': [logicalId(service.platform.cluster), 'Arn'] };
    const statements = statementsOf('operate-container');
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'ecs:RunTask',
        Resource: { 'Fn::Join': ['', expect.arrayContaining([':task-definition/clc-dev-*'])] },
        Condition: { ArnEquals: { 'ecs:cluster': clusterArn } },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'ecs:StopTask',
        Condition: { ArnEquals: { 'ecs:cluster': clusterArn } },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'iam:PassRole',
        Resource: [
          { 'Fn::GetAtt': [logicalId(service.platform.executionRole), 'Arn'] },
          { 'Fn::GetAtt': [logicalId(service.platform.taskRole), 'Arn'] },
        ],
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
  });
});

describe('ServiceStack events and schedules', () => {
  it('runs the auto-stop sweep every minute and the reconciler every five minutes', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('auto-stop'), 'Arn'] } }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('reconcile'), 'Arn'] } }),
    });
  });

  it("sends this cluster's ECS task state changes to the event function, with retries and a dead-letter queue", () => {
    const queueArn = { 'Fn::GetAtt': [logicalId(service.taskEventsDeadLetterQueue), 'Arn'] };
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { clusterArn: [{ 'Fn::GetAtt': [logicalId(service.platform.cluster), 'Arn'] }] },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId('ecs-task-state-change'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: queueArn },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('ServiceStack cost and network defaults', () => {
  it('creates public subnets without a NAT gateway, a cluster without Container Insights, tasks without inbound rules', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }],
    });
    const [group] = Object.values(template.findResources('AWS::EC2::SecurityGroup'));
    expect(group?.Properties.SecurityGroupIngress).toBeUndefined();
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fn?.Properties.Environment.Variables.ECS_ASSIGN_PUBLIC_IP).toBe('true');
  });
});

describe('ServiceStack alarms', () => {
  it('alarms on the API 5xx rate, on every function error and throttle, and on dead letters', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const byMetric = (name: string) => alarms.filter((alarm) => alarm.Properties.MetricName === name);

    expect(byMetric('ApproximateNumberOfMessagesVisible')).toHaveLength(4);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('errors / requests') }),
        Match.objectLike({
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: '5xx' }) }),
        }),
      ]),
    });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it("puts every function's Errors and Throttles in exactly one grouped alarm that names it and fires on the first one", () => {
    // GIVEN the service stack WHEN its metric-math alarms are read back
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const metricStats = (alarm: Json): Json[] =>
      ((alarm.Properties as { Metrics?: { MetricStat?: Json }[] }).Metrics ?? []).flatMap((query) =>
        query.MetricStat ? [query.MetricStat] : [],
      );
    const watches = (alarm: Json, metricName: string, name: string): boolean =>
      metricStats(alarm).some(
        (stat) =>
          JSON.stringify(stat).includes(`"MetricName":"${metricName}"`) &&
          JSON.stringify(stat).includes(`{"Ref":"${functionId(name)}"}`),
      );

    // THEN each function's Errors and Throttles are watched by exactly one alarm, whose description names it
    for (const name of Object.keys(service.functions)) {
      for (const metricName of ['Errors', 'Throttles']) {
        const watching = alarms.filter((alarm) => watches(alarm, metricName, name));
        expect(watching, `${name} ${metricName}`).toHaveLength(1);
        const covered = String(watching[0]?.Properties.AlarmDescription).split(': ').at(-1)?.split(', ');
        expect(covered, `${name} ${metricName}`).toContain(name);
      }
    }
    // AND each grouped alarm sums its functions over 5 minutes and fires on one failure, quiet while idle
    const grouped = alarms.filter((alarm) =>
      metricStats(alarm).some((stat) => /"MetricName":"(Errors|Throttles)"/.test(JSON.stringify(stat))),
    );
    for (const alarm of grouped) {
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.Properties.Metrics).toContainEqual(
        expect.objectContaining({ Expression: 'SUM(METRICS())', ReturnData: true }),
      );
      for (const stat of metricStats(alarm)) expect(stat).toMatchObject({ Period: 300, Stat: 'Sum' });
    }
  });

  it('keeps every alarm within the 10-metric limit of a metric-math alarm, and has at most 15 alarms in all (14 today: about USD 1.40 a month, not USD 8)', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const functionCount = Object.keys(service.functions).length;

    for (const alarm of alarms) {
      const metrics = (alarm.Properties.Metrics ?? []) as { MetricStat?: unknown }[];
      expect(metrics.filter((query) => query.MetricStat).length).toBeLessThanOrEqual(10);
    }
    // Errors and Throttles for each group of up to 10 functions, the API's 5xx rate, four
    // dead-letter queues, the stream functions' IteratorAge
    expect(alarms).toHaveLength(2 * Math.ceil(functionCount / 10) + 1 + 4 + 1);
    expect(alarms.length).toBeLessThanOrEqual(15);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged, and every acknowledgment gives a reason', () => {
    const report = new AwsSolutionsChecks().validateScope(app);

    expect(
      report.violations.map(
        (violation) => `${violation.ruleName} ${violation.violatingResources.map((r) => r.constructPath)}`,
      ),
    ).toEqual([]);
    const reasons = app.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.values(entry.data as Record<string, string>));
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(30);
  });
});

describe('ServiceStack observability', () => {
  it('traces every function with X-Ray (active tracing), and lets each role write only trace segments beyond its grants', () => {
    // GIVEN the service stack WHEN its functions are read back
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    const ours = Object.keys(service.functions).map(functionId);

    // THEN each of ours traces actively, and its role holds the two X-Ray write actions
    for (const id of ours) {
      expect(template.toJSON().Resources[id].Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
    }
    expect(functions.length).toBeGreaterThanOrEqual(ours.length);
    expect(actionsOf('get-container')).toEqual(
      expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
    );
  });

  it('graphs operations by outcome, transitions, auto-stops, ECS failures and cold starts from the EMF metrics', () => {
    // GIVEN the dashboard WHEN its widgets are read back (tokens such as the region made plain)
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    const parts: unknown[] = dashboard?.Properties.DashboardBody['Fn::Join'][1] ?? [];
    const body = JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'token')).join(''));
    const widgets = new Map<string, unknown[][]>(
      body.widgets.map((widget: { properties: { title: string; metrics: unknown[][] } }) => [
        widget.properties.title,
        widget.properties.metrics,
      ]),
    );
    const search = (title: string) => JSON.stringify(widgets.get(title));

    // THEN each metric of lib/observability/names.ts is searched in its namespace, by its dimensions
    expect(search('Operations by outcome')).toContain(
      String.raw`SEARCH('{ContainerLifecycle,operation,outcome,service} MetricName=\"Operations\" service=\"container-lifecycle\"', 'Sum', 300)`,
    );
    expect(search('Transitions by status and trigger')).toContain(
      String.raw`{ContainerLifecycle,to_status,triggered_by,service} MetricName=\"Transitions\"`,
    );
    expect(search('ECS failures by kind')).toContain(
      String.raw`{ContainerLifecycle,kind,service} MetricName=\"EcsFailures\"`,
    );
    expect(search('Cold starts')).toContain(
      String.raw`{ContainerLifecycle,function_name,service} MetricName=\"ColdStart\"`,
    );
    expect(widgets.get('Auto-stops')?.[0]?.slice(0, 4)).toEqual([
      'ContainerLifecycle',
      'AutoStops',
      'service',
      'container-lifecycle',
    ]);
  });
});
