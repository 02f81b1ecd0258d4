import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarmAction,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { metricNames, metricsNamespace, serviceName } from '../../lib/observability/names';

export interface MonitoringProps {
  readonly api: HttpApi;
  /** Every function, by a name used in alarm descriptions and construct ids. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** Queues whose every message is a failure someone should look at. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /**
   * Functions fed by a stream, whose falling behind (IteratorAge) needs a person: one that reports
   * batch item failures retries without ever failing, so its Errors alarm stays quiet.
   * @default none
   */
  readonly streamConsumers?: Readonly<Record<string, IFunction>>;
  /**
   * Age of the oldest record a stream consumer was handed, in minutes, that raises its alarm.
   * @default 5
   */
  readonly iteratorAgeMinutes?: number;
  /**
   * Percentage of requests answered 5xx, over 5 minutes, that raises the API alarm.
   * @default 5
   */
  readonly serverErrorRatePercent?: number;
  /**
   * Where alarms go (an SNS topic, usually).
   * @default no action: the alarms show on the dashboard and in the console only
   */
  readonly alarmAction?: IAlarmAction;
}

const period = Duration.minutes(5);

/** The most metrics a metric-math alarm may reference (a hard CloudWatch limit). */
const maxMetricsPerAlarm = 10;

/**
 * Alarms on what needs a person: the API answering 5xx, a function failing or throttled, a dead
 * letter waiting. Each alarm costs about USD 0.10 a month, so functions are alarmed on in groups
 * (the description names them; the dashboard shows which one); the dashboard USD 3 beyond the free three.
 */
export class Monitoring extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const threshold = props.serverErrorRatePercent ?? 5;
    if (!(threshold > 0 && threshold <= 100))
      throw new Error(`serverErrorRatePercent must be in (0, 100], got ${threshold}`);

    const serverErrorRate = new MathExpression({
      label: '5xx rate (%)',
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: props.api.metricServerError({ period }),
        requests: props.api.metricCount({ period }),
      },
      period,
    });
    this.add(
      new Alarm(this, 'ApiServerErrorRate', {
        alarmDescription: `More than ${threshold}% of API requests answered 5xx in two of three 5-minute periods`,
        metric: serverErrorRate,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      props.alarmAction,
    );

    // One alarm per group of functions, not per function: an alarm costs the same whatever it
    // watches, and a metric-math alarm may watch up to 10 metrics.
    const groups = chunks(Object.entries(props.functions), maxMetricsPerAlarm);
    for (const [index, group] of groups.entries()) {
      const names = group.map(([name]) => name).join(', ');
      this.add(
        new Alarm(this, `FunctionErrors-${index + 1}`, {
          alarmDescription: `An invocation failed in one of: ${names}`,
          metric: sumOf(
            group.map(([, fn]) => fn.metricErrors({ period })),
            'errors',
          ),
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
        props.alarmAction,
      );
      this.add(
        new Alarm(this, `FunctionThrottles-${index + 1}`, {
          alarmDescription: `An invocation was throttled (account or reserved concurrency reached) in one of: ${names}`,
          metric: sumOf(
            group.map(([, fn]) => fn.metricThrottles({ period })),
            'throttles',
          ),
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
        props.alarmAction,
      );
    }

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(
        new Alarm(this, `${name}-Depth`, {
          alarmDescription: `${name}: messages are waiting in the dead-letter queue`,
          metric: queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
        props.alarmAction,
      );
    }

    // Grouped too: each consumer reads the stream through a mapping of its own, and the oldest
    // record any of them was handed raises the one alarm (its IteratorAge metric shows whose).
    const iteratorAge = Duration.minutes(props.iteratorAgeMinutes ?? 5);
    const consumerGroups = chunks(Object.entries(props.streamConsumers ?? {}), maxMetricsPerAlarm);
    for (const [index, group] of consumerGroups.entries()) {
      const names = group.map(([name]) => name).join(', ');
      this.add(
        new Alarm(this, `StreamIteratorAge-${index + 1}`, {
          alarmDescription: `Stream records wait more than ${iteratorAge.toMinutes()} minutes (the stream is stalled or behind) in one of: ${names}`,
          metric: new MathExpression({
            label: 'oldest record (ms)',
            expression: 'MAX(METRICS())',
            usingMetrics: Object.fromEntries(
              group.map(([, fn], metric) => [
                `m${metric + 1}`,
                fn.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
              ]),
            ),
            period: Duration.minutes(1),
          }),
          threshold: iteratorAge.toMilliseconds(),
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
        props.alarmAction,
      );
    }

    const functions = Object.entries(props.functions);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      widgets: [
        [
          new GraphWidget({
            title: 'API requests and errors',
            left: [
              props.api.metricCount({ period }),
              props.api.metricClientError({ period }),
              props.api.metricServerError({ period }),
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'API latency (p50, p99)',
            left: [
              props.api.metricLatency({ period, statistic: 'p50' }),
              props.api.metricLatency({ period, statistic: 'p99' }),
            ],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Function errors',
            left: functions.map(([name, fn]) => fn.metricErrors({ period, label: name })),
            width: 8,
          }),
          new GraphWidget({
            title: 'Function duration (p99)',
            left: functions.map(([name, fn]) => fn.metricDuration({ period, statistic: 'p99', label: name })),
            width: 8,
          }),
          new GraphWidget({
            title: 'Dead letters',
            left: Object.entries(props.deadLetterQueues).map(([name, queue]) =>
              queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: name }),
            ),
            width: 8,
          }),
        ],
        [
          new GraphWidget({
            title: 'Operations by outcome',
            left: [emfSearch(metricNames.operations, ['operation', 'outcome'])],
            width: 12,
          }),
          new GraphWidget({
            title: 'Transitions by status and trigger',
            left: [emfSearch(metricNames.transitions, ['to_status', 'triggered_by'])],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Auto-stops',
            left: [
              new Metric({
                namespace: metricsNamespace,
                metricName: metricNames.autoStops,
                dimensionsMap: { service: serviceName },
                statistic: 'Sum',
                period,
                label: 'containers stopped',
              }),
            ],
            width: 8,
          }),
          new GraphWidget({
            title: 'ECS failures by kind',
            left: [emfSearch(metricNames.ecsFailures, ['kind'])],
            width: 8,
          }),
          new GraphWidget({
            title: 'Cold starts',
            left: [emfSearch(metricNames.coldStart, ['function_name'])],
            width: 8,
          }),
        ],
      ],
    });
  }

  private add(alarm: Alarm, action: IAlarmAction | undefined): void {
    if (action) alarm.addAlarmAction(action);
    this.alarms.push(alarm);
  }
}

/**
 * Every series of an EMF metric, one per value of its dimensions: the values (operations, error
 * codes, statuses, function names) are open-ended, so a search finds them instead of a fixed list.
 * The label names each series by its dimension values.
 */
function emfSearch(metricName: string, dimensions: readonly string[]): MathExpression {
  const schema = [metricsNamespace, ...dimensions, 'service'].join(',');
  return new MathExpression({
    expression: `SEARCH('{${schema}} MetricName="${metricName}" service="${serviceName}"', 'Sum', ${period.toSeconds()})`,
    usingMetrics: {},
    label: dimensions.map((dimension) => `\${PROP('Dim.${dimension}')}`).join(' '),
    period,
  });
}

/** The sum of the metrics, per period: one series to alarm on for a group of functions. */
function sumOf(metrics: readonly IMetric[], label: string): MathExpression {
  return new MathExpression({
    label,
    expression: 'SUM(METRICS())',
    usingMetrics: Object.fromEntries(metrics.map((metric, index) => [`m${index + 1}`, metric])),
    period,
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
