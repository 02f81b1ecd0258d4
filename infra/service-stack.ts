import {
  CfnOutput,
  type CfnResource,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { releaseFilter, type StreamFilterPattern } from '../lib/adapters/dynamodb/stream-records';
import { type TableDefinition, tableDefinition } from '../lib/adapters/dynamodb/table-definition';
import { eventSource } from '../lib/adapters/eventbridge/eventbridge-publisher';
import { webhookEventTypes } from '../lib/domain/webhook';
import { scopes } from '../lib/http/caller';
import { httpRoutes } from '../lib/http/routes';
import { ContainerHttpApi } from './constructs/container-http-api';
import { ContainerPlatform, type ExistingNetwork } from './constructs/container-platform';
import { grantEcsAccess, grantTableAccess } from './constructs/grants';
import { LifecycleFunction } from './constructs/lifecycle-function';
import { Monitoring } from './constructs/monitoring';
import {
  type BackgroundFunctionName,
  backgroundFunctions,
  type FunctionAccess,
  httpFunctionAccess,
} from './function-access';

export interface ServiceStackProps extends StackProps {
  /** The table of the stateful stack. */
  readonly table: ITableV2;
  /** @default the shared definition in lib/adapters/dynamodb/table-definition.ts */
  readonly tableDefinition?: TableDefinition;
  /** The `iss` of accepted JWTs: an https URL. */
  readonly jwtIssuer: string;
  /** Accepted `aud` values. */
  readonly jwtAudience: readonly string[];
  /**
   * The deployment stage; names the task definition families and decides what is retained.
   * @default 'dev'
   */
  readonly stage?: string;
  /** @default a new VPC with public subnets only and no NAT gateway */
  readonly network?: ExistingNetwork;
  /**
   * Prefix of every task definition family this deployment registers; IAM is scoped to it.
   * @default `clc-${stage}`
   */
  readonly taskFamilyPrefix?: string;
  /** @default 5 */
  readonly containerQuota?: number;
  /** @default 30 */
  readonly retentionDays?: number;
  /** Seconds before an auto-stop that `container.idle-warning` goes out; 0 sends none. @default 300 */
  readonly idleWarningSeconds?: number;
  /** Days a status log entry is kept. @default 90 */
  readonly statusLogRetentionDays?: number;
  /** @default 300 */
  readonly settleAfterSeconds?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * An SNS topic that receives every alarm.
   * @default no alarm action
   */
  readonly alarmTopicArn?: string;
  /** @default the API stage's defaults, 50 requests per second, bursts of 100 */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

/**
 * What can be replaced at any deploy: the API, the functions, the ECS cluster and its network,
 * the schedules and the event rule, the alarms.
 */
export class ServiceStack extends Stack {
  readonly api: ContainerHttpApi;
  readonly platform: ContainerPlatform;
  /** Every function, by its file name (`create-container`, `auto-stop`, ...). */
  readonly functions: Readonly<Record<string, LifecycleFunction>>;
  readonly taskEventsDeadLetterQueue: Queue;
  /** Platform events the webhook delivery function failed on, after every retry. */
  readonly webhookEventsDeadLetterQueue: Queue;
  /** Stream records the transition publisher gave up on (23 h old): their events did not go out. */
  readonly transitionOutboxDeadLetterQueue: Queue;
  /** Deletes whose task definition could not be released before the record was 23 h old. */
  readonly taskDefinitionReleaseDeadLetterQueue: Queue;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    // Strong: CloudFormation refuses to delete the table's stack while this stack uses the table.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const stage = props.stage ?? 'dev';
    const durable = stage !== 'dev';
    const taskFamilyPrefix = props.taskFamilyPrefix ?? `clc-${stage}`;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(taskFamilyPrefix)) {
      throw new Error(`taskFamilyPrefix must be 1-64 letters, digits, - or _, got ${taskFamilyPrefix}`);
    }
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const logRemovalPolicy = durable ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.platform = new ContainerPlatform(this, 'Platform', {
      ...(props.network ? { network: props.network } : {}),
      logRetention,
      logRemovalPolicy,
    });

    // Cursor signing key. A generated secret resolved by CloudFormation at deploy time: the value
    // is in no template, no cdk.out and no repository. It does show in the functions' environment
    // to whoever may read their configuration; lib/config.ts reads it from the environment.
    const cursorSecret = new Secret(this, 'CursorSecret', {
      description: 'Signs pagination cursors (HMAC-SHA256); rotating it invalidates outstanding cursors only',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key signs cursors that expire after 24 h and reaches the functions through their environment at deploy time; rotation would not reach them without a deploy. Replace it by redeploying.',
    });

    const environment: Record<string, string> = {
      TABLE_NAME: props.table.tableName,
      CURSOR_SECRET: cursorSecret.secretValue.unsafeUnwrap(),
      CONTAINER_QUOTA: String(props.containerQuota ?? 5),
      LOG_RETENTION_DAYS: String(props.statusLogRetentionDays ?? 90),
      SETTLE_AFTER_SECONDS: String(props.settleAfterSeconds ?? 300),
      RETENTION_DAYS: String(props.retentionDays ?? 30),
      ECS_CLUSTER: this.platform.cluster.clusterName,
      ECS_SUBNETS: this.platform.subnetIds.join(','),
      ECS_SECURITY_GROUPS: this.platform.securityGroup.securityGroupId,
      ECS_ASSIGN_PUBLIC_IP: String(this.platform.assignPublicIp),
      ECS_EXECUTION_ROLE_ARN: this.platform.executionRole.roleArn,
      ECS_TASK_ROLE_ARN: this.platform.taskRole.roleArn,
      ECS_LOG_GROUP: this.platform.logGroup.logGroupName,
      TASK_FAMILY_PREFIX: taskFamilyPrefix,
      EVENT_BUS_NAME: 'default',
      IDLE_WARNING_SECONDS: String(props.idleWarningSeconds ?? 300),
    };

    const functions: Record<string, LifecycleFunction> = {};
    const makeFunction = (
      name: string,
      entry: string,
      access: FunctionAccess,
      options: Partial<ConstructorParameters<typeof LifecycleFunction>[2]> = {},
    ) => {
      const fn = new LifecycleFunction(this, name, {
        entry,
        description: `container-lifecycle ${stage}: ${name}`,
        environment,
        logRetention,
        logRemovalPolicy,
        ...options,
      });
      grantTableAccess(fn.role, props.table, props.tableDefinition ?? tableDefinition, access.table);
      grantEcsAccess(fn.role, access.ecs, { platform: this.platform, taskFamilyPrefix });
      if (access.publishesEvents) {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ['events:PutEvents'],
            resources: [
              Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' }),
            ],
          }),
        );
      }
      functions[name] = fn;
      return fn;
    };

    // HTTP: API Gateway gives up on an integration after 30 s. 28 s covers a cold start plus the
    // slowest route (RegisterTaskDefinition and RunTask, each with the SDK's 3 attempts of up to
    // 5 s), so the function is not killed between its write and its ECS call, and still answers
    // before the gateway does.
    const apiRoutes = httpRoutes.map((route) => {
      const fn = makeFunction(
        route.functionName,
        `functions/http/${route.functionName}.ts`,
        httpFunctionAccess[route.functionName],
        {
          timeout: Duration.seconds(28),
        },
      );
      const scope: string | undefined = 'scope' in route ? route.scope : undefined;
      return {
        routeKey: route.routeKey,
        handler: fn.function,
        // The admin scope holds every scope (lib/http/caller.ts); the function checks again.
        ...(scope === undefined ? {} : { authorizationScopes: [scope, scopes.admin] }),
      };
    });
    this.api = new ContainerHttpApi(this, 'HttpApi', {
      jwtIssuer: props.jwtIssuer,
      jwtAudience: props.jwtAudience,
      routes: apiRoutes,
      ...(props.throttle
        ? { throttleRateLimit: props.throttle.rateLimit, throttleBurstLimit: props.throttle.burstLimit }
        : {}),
      accessLogRetention: logRetention,
      accessLogRemovalPolicy: logRemovalPolicy,
    });

    // Task events that failed every retry: a person (or a redrive) must look at them.
    this.taskEventsDeadLetterQueue = this.deadLetterQueue(
      'TaskEventsDeadLetterQueue',
      'This queue is the dead-letter queue of the task event rule and function.',
    );

    const background = (
      name: BackgroundFunctionName,
      options: Partial<ConstructorParameters<typeof LifecycleFunction>[2]>,
    ) => makeFunction(name, backgroundFunctions[name].entry, backgroundFunctions[name], options);

    // An event is applied in well under a second; 30 s absorbs a cold start and ECS retries. An
    // event older than an hour is left to the reconciler, which settles what events never settled.
    const taskEvents = background('ecs-task-state-change', {
      timeout: Duration.seconds(30),
      deadLetterQueue: this.taskEventsDeadLetterQueue,
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });
    new Rule(this, 'TaskStateChangeRule', {
      description: "ECS task state changes of this deployment's cluster",
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: { clusterArn: [this.platform.cluster.clusterArn] },
      },
      targets: [
        new LambdaFunction(taskEvents.function, {
          retryAttempts: 10,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: this.taskEventsDeadLetterQueue,
        }),
      ],
    });

    // Each sweep works until its time is nearly up (the handler keeps 10 s back); a timeout below
    // the schedule's period keeps two sweeps from running at once. A missed tick needs no retry:
    // the next one comes within the period.
    const autoStop = background('auto-stop', { timeout: Duration.seconds(50), retryAttempts: 0 });
    new Schedule(this, 'AutoStopSchedule', {
      description: 'Stops containers idle past their idle timeout',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      target: new LambdaInvoke(autoStop.function, { retryAttempts: 0, maxEventAge: Duration.minutes(1) }),
    });
    const reconcile = background('reconcile', { timeout: Duration.minutes(4), retryAttempts: 0 });
    new Schedule(this, 'ReconcileSchedule', {
      description: 'Settles transitions whose ECS events never came; expires old stopped containers',
      schedule: ScheduleExpression.rate(Duration.minutes(5)),
      target: new LambdaInvoke(reconcile.function, { retryAttempts: 0, maxEventAge: Duration.minutes(5) }),
    });

    // Events out. The table's stream is the outbox of transitions: each new status-log item goes
    // to EventBridge. A failed PutEvents reports the record it failed at and the mapping retries
    // from there, with no retry cap: only a record's age ends its retries. The stream keeps a record
    // 24 h; at 23 h the mapping gives up on it and names it in the outbox dead-letter queue (the
    // transition itself stays in the status log), so a stall is never dropped unseen. A stalled
    // shard shows first in the publisher's IteratorAge alarm, since it reports batch item failures
    // instead of failing (its Errors alarm stays quiet).
    this.transitionOutboxDeadLetterQueue = this.deadLetterQueue(
      'TransitionOutboxDeadLetterQueue',
      'This queue is the on-failure destination of the table stream mapping of the transition publisher.',
    );
    const publishTransitions = background('publish-transitions', { timeout: Duration.seconds(30) });
    this.readStream(props.table, publishTransitions.function, {
      batchSize: 50,
      deadLetterQueue: this.transitionOutboxDeadLetterQueue,
    });
    // Task definitions out. A deleted container's task definition is released from the release
    // item its delete wrote in the same transaction (release-items.ts), off the request path, by a
    // mapping of its own: a stalled release never holds up the events, nor they it. The filter
    // invokes it for new release items and nothing else. It retries as the publisher does (a
    // definition already gone counts as released, so a retry is harmless), and a stall shows in
    // the stream consumers' IteratorAge alarm. A definition given up on is only left ACTIVE, which
    // costs nothing; its queue names the shard and sequence numbers to find it by.
    this.taskDefinitionReleaseDeadLetterQueue = this.deadLetterQueue(
      'TaskDefinitionReleaseDeadLetterQueue',
      'This queue is the on-failure destination of the table stream mapping of the task definition release.',
    );
    // Each record is one DeregisterTaskDefinition of at most 3 attempts of 5 s with backoff (about
    // 20 s at worst), and the batch stops at the first that fails: 5 records fit 2 minutes. The
    // stream now has two readers, the most DynamoDB Streams serves a shard without throttling: a
    // third consumer belongs behind one of them (or EventBridge Pipes), not on the stream itself.
    const releaseTaskDefinitions = background('release-task-definitions', { timeout: Duration.minutes(2) });
    this.readStream(props.table, releaseTaskDefinitions.function, {
      batchSize: 5,
      deadLetterQueue: this.taskDefinitionReleaseDeadLetterQueue,
      filter: releaseFilter,
    });
    // Our events to the owners' webhooks. Receivers' failures are retried by the deliveries' own
    // backoff; EventBridge retries only failures of the function itself.
    this.webhookEventsDeadLetterQueue = this.deadLetterQueue(
      'WebhookEventsDeadLetterQueue',
      'This queue is the dead-letter queue of the webhook event rule.',
    );
    const deliverWebhooks = background('deliver-webhooks', {
      // Every subscribed webhook is tried side by side, each within WEBHOOK_TIMEOUT_MS (5 s).
      timeout: Duration.seconds(30),
      retryAttempts: 2,
      deadLetterQueue: this.webhookEventsDeadLetterQueue,
    });
    new Rule(this, 'WebhookEventsRule', {
      description: 'Platform events of this service to the webhook deliveries',
      eventPattern: { source: [eventSource], detailType: [...webhookEventTypes] },
      targets: [
        new LambdaFunction(deliverWebhooks.function, {
          retryAttempts: 10,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: this.webhookEventsDeadLetterQueue,
        }),
      ],
    });
    const retryWebhooks = background('retry-webhook-deliveries', {
      timeout: Duration.seconds(50),
      retryAttempts: 0,
    });
    new Schedule(this, 'WebhookRetrySchedule', {
      description: 'The next attempt of failed webhook deliveries, by their backoff',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      target: new LambdaInvoke(retryWebhooks.function, {
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
      }),
    });

    for (const fn of [autoStop, reconcile, retryWebhooks]) {
      // The scheduler's role may invoke the function and its versions (`<arn>:*`), nothing else.
      const logicalId = this.getLogicalId(fn.function.node.defaultChild as CfnResource);
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: 'The scheduler role may invoke this one function, any version of it.',
      });
    }

    this.functions = functions;
    this.monitoring = new Monitoring(this, 'Monitoring', {
      api: this.api.api,
      functions: Object.fromEntries(
        Object.entries(functions).map(([name, fn]): [string, NodejsFunction] => [name, fn.function]),
      ),
      deadLetterQueues: {
        TaskEvents: this.taskEventsDeadLetterQueue,
        WebhookEvents: this.webhookEventsDeadLetterQueue,
        TransitionOutbox: this.transitionOutboxDeadLetterQueue,
        TaskDefinitionRelease: this.taskDefinitionReleaseDeadLetterQueue,
      },
      streamConsumers: {
        'publish-transitions': publishTransitions.function,
        'release-task-definitions': releaseTaskDefinitions.function,
      },
      ...(props.alarmTopicArn
        ? { alarmAction: new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn)) }
        : {}),
    });

    new CfnOutput(this, 'ApiUrl', {
      description: 'Base URL of the API; routes start with /v1',
      value: this.api.url,
    });
    new CfnOutput(this, 'ClusterName', { value: this.platform.cluster.clusterName });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }

  /**
   * A dead-letter queue: what failed every retry stays 14 days, for a person (or a redrive) to
   * read; the monitoring alarms on any message in it.
   */
  private deadLetterQueue(id: string, reason: string): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
    return queue;
  }

  /**
   * `fn` reads the table's stream from its start through a mapping of its own. It reports the
   * record it failed at and is handed the batch again from there, with no retry cap: only a
   * record's age (23 h, below the stream's 24 h) ends the retries, naming it in `deadLetterQueue`.
   * With `filter`, it is invoked for the records that match it only.
   */
  private readStream(
    table: ITableV2,
    fn: NodejsFunction,
    options: { batchSize: number; deadLetterQueue: Queue; filter?: StreamFilterPattern },
  ): void {
    fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: options.batchSize,
        ...(options.filter ? { filters: [FilterCriteria.filter(options.filter)] } : {}),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: -1,
        maxRecordAge: Duration.hours(23),
        onFailure: new SqsDlq(options.deadLetterQueue),
      }),
    );
  }
}
